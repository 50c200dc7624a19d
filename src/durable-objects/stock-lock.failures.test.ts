import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createStockedSku, decrementOnHand, inventoryRow } from "../../test/factories/inventory";
import { captureLogs } from "../../test/helpers/logs";
import { createDatabase } from "../db/client";
import { newId } from "../platform/ids";
import type { StockLock } from "./stock-lock";

const lock = (sku: string) => env.STOCK_LOCK.get(env.STOCK_LOCK.idFromName(sku));
const inAMinute = () => Date.now() + 60_000;
const failure = (work: Promise<unknown>) => work.then(() => "no error", (error: unknown) => String(error));

/** Points the object's D1 handle at a database that fails (the network boundary); returns the restore. */
async function breakD1(stub: DurableObjectStub<StockLock>): Promise<() => Promise<void>> {
  const broken = createDatabase({ prepare: () => { throw new Error("D1_ERROR: unavailable"); } } as unknown as D1Database);
  const original = await runInDurableObject(stub, (instance) => {
    const holder = instance as unknown as { db: unknown };
    const kept = holder.db;
    holder.db = broken;
    return kept;
  });
  return () => runInDurableObject(stub, (instance) => { (instance as unknown as { db: unknown }).db = original; });
}

describe("StockLock when D1 fails", () => {
  it("keeps a reservation when only the mirror write fails, and the sweep repairs the mirror", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.snapshot(sku); // on-hand loaded while D1 works
    const restore = await breakD1(stub);
    expect((await stub.reserve(sku, "chk_mirror_down", 2, inAMinute())).ok).toBe(true);
    expect(await stub.reserved()).toBe(2);
    await restore();
    expect((await inventoryRow(sku))?.reserved).toBe(0);
    await stub.sweep(sku);
    expect((await inventoryRow(sku))?.reserved).toBe(2);
  });

  it("logs the mirror failure with the caller's trace id (the trace goes into the Durable Object call)", async () => {
    const logs = captureLogs();
    try {
      const sku = await createStockedSku(2);
      const stub = lock(sku);
      await stub.snapshot(sku);
      const restore = await breakD1(stub);
      await stub.reserve(sku, newId("chk"), 1, inAMinute(), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      await restore();
      expect(logs.json().find((line) => line.msg === "reserved mirror write failed")).toMatchObject({ level: "error", sku, traceId: "0af7651916cd43dd8448eb211c80319c" });
    } finally {
      logs.restore();
    }
  });

  it("fails a commit whose on-hand re-read fails without losing the reservation; the retry commits", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_commit_retry", 2, inAMinute());
    await decrementOnHand(sku, 2);
    const restore = await breakD1(stub);
    expect(await failure(stub.commit(sku, "chk_commit_retry"))).toContain("D1_ERROR");
    await restore();
    expect(await stub.reserved()).toBe(2); // still held: the object was not reset
    await stub.commit(sku, "chk_commit_retry");
    expect(await stub.snapshot(sku)).toEqual({ onHand: 0, reserved: 0, available: 0 });
  });

  it("re-reads on-hand on the next call when the re-read after an expiry failed", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.reserve(sku, "chk_expiring", 2, Date.now() + 20);
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm()); // the expiry happens in the next call
    await decrementOnHand(sku, 2); // the order was written, the checkout died before committing
    await new Promise((resolve) => setTimeout(resolve, 30));
    const restore = await breakD1(stub);
    expect(await failure(stub.reserve(sku, newId("chk"), 1, inAMinute()))).toContain("D1_ERROR");
    await restore();
    expect(await stub.reserve(sku, newId("chk"), 1, inAMinute())).toEqual({ ok: false, available: 0 });
  });
});
