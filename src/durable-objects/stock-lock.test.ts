import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("StockLock", () => {
  it("reports what its storage holds as reserved, zero when empty", async () => {
    const stub = env.STOCK_LOCK.get(env.STOCK_LOCK.idFromName("SKU-TEST-1"));
    expect(await stub.reserved()).toBe(0);
    await runInDurableObject(stub, (_instance, state) => state.storage.kv.put("reserved", 3));
    expect(await stub.reserved()).toBe(3);
  });
});
