import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("RateLimiter", () => {
  it("answers ping and records it in its storage", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("test-ping"));
    expect(await stub.ping()).toBe("pong");
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.kv.get<number>("lastPing"));
    expect(stored).toBeGreaterThan(0);
  });
});
