import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DURABLE_FROM_SHARE, FORGET_AFTER_MS, MAX_KEYS_IN_MEMORY } from "./rate-limiter";

const stubFor = (name: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));
const policy = { limit: 5, windowSeconds: 60 };

describe("RateLimiter", () => {
  it("answers ping and records it in its storage", async () => {
    const stub = stubFor("test-ping");
    expect(await stub.ping()).toBe("pong");
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.kv.get<number>("lastPing"));
    expect(stored).toBeGreaterThan(0);
  });

  it("take spends units until the burst is gone", async () => {
    const stub = stubFor(`test-take-${crypto.randomUUID()}`);
    for (let i = 0; i < 5; i += 1) expect((await stub.take(policy)).allowed).toBe(true);
    expect(await stub.take(policy)).toMatchObject({ allowed: false, retryAfterSeconds: 12 });
  });

  it("giveBack returns a spent unit, so the next take is allowed again", async () => {
    const stub = stubFor(`test-give-back-${crypto.randomUUID()}`);
    for (let i = 0; i < 5; i += 1) await stub.take(policy);
    await stub.giveBack(policy);
    expect(await stub.take(policy)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("giveBack never credits more than was spent", async () => {
    const stub = stubFor(`test-give-back-extra-${crypto.randomUUID()}`);
    await stub.take(policy);
    for (let i = 0; i < 10; i += 1) await stub.giveBack(policy);
    for (let i = 0; i < 5; i += 1) expect((await stub.take(policy)).allowed).toBe(true);
    expect((await stub.take(policy)).allowed).toBe(false);
  });

  it("keeps its state across instances (SQLite-backed storage)", async () => {
    const name = `test-persist-${crypto.randomUUID()}`;
    await stubFor(name).take({ limit: 1, windowSeconds: 60 });
    const stored = await runInDurableObject(stubFor(name), (_instance, state) => state.storage.kv.get<number>("tat"));
    expect(stored).toBeGreaterThan(Date.now());
  });

  it("keeps a replenished key for a while instead of deleting and re-creating it between two requests", async () => {
    const stub = stubFor(`test-alarm-late-${crypto.randomUUID()}`);
    await stub.take({ limit: 2, windowSeconds: 60 });
    const [tat, alarm] = await runInDurableObject(stub, async (_instance, state) => [
      state.storage.kv.get<number>("tat") ?? 0,
      (await state.storage.getAlarm()) ?? 0,
    ]);
    expect(alarm).toBe(tat + FORGET_AFTER_MS);
  });

  it("writes nothing to storage for a take that leaves most of the burst, and stores the key once a tenth of it is spent", async () => {
    const stub = stubFor(`test-durable-${crypto.randomUUID()}`);
    const policy = { limit: 100, windowSeconds: 60 };
    const stored = () => runInDurableObject(stub, (_instance, state) => state.storage.kv.get<number>("tat"));
    const tenth = Math.round(DURABLE_FROM_SHARE * policy.limit);
    for (let i = 0; i < tenth / 2; i += 1) await stub.take(policy);
    expect(await stored()).toBeUndefined();
    for (let i = 0; i < tenth; i += 1) await stub.take(policy);
    expect(await stored()).toBeGreaterThan(Date.now());
  });

  it("lease grants up to the block asked for, then what is left, then refuses with the wait", async () => {
    const stub = stubFor(`test-lease-${crypto.randomUUID()}`);
    expect(await stub.lease(policy, 3)).toMatchObject({ allowed: true, granted: 3, remaining: 2 });
    expect(await stub.lease(policy, 3)).toMatchObject({ allowed: true, granted: 2, remaining: 0 });
    expect(await stub.lease(policy, 3)).toMatchObject({ allowed: false, granted: 0, retryAfterSeconds: 12 });
  });

  it("lease shares one account with take: a block spends the units take would have", async () => {
    const stub = stubFor(`test-lease-take-${crypto.randomUUID()}`);
    await stub.lease(policy, 4);
    expect((await stub.take(policy)).allowed).toBe(true);
    expect((await stub.take(policy)).allowed).toBe(false);
  });

  it("a lease returning unspent units credits them, never more than were spent", async () => {
    const stub = stubFor(`test-lease-return-${crypto.randomUUID()}`);
    await stub.lease(policy, 5);
    expect(await stub.lease(policy, 5, 4)).toMatchObject({ allowed: true, granted: 4 });
    const fresh = stubFor(`test-lease-return-extra-${crypto.randomUUID()}`);
    await fresh.lease(policy, 1);
    expect(await fresh.lease(policy, 10, 50)).toMatchObject({ allowed: true, granted: 5, remaining: 0 });
  });

  it("keeps the keys of a shared object apart", async () => {
    const stub = stubFor(`test-shared-${crypto.randomUUID()}`);
    for (let i = 0; i < 5; i += 1) await stub.take(policy, 1, "10.0.0.1");
    expect((await stub.take(policy, 1, "10.0.0.1")).allowed).toBe(false);
    expect(await stub.take(policy, 1, "10.0.0.2")).toMatchObject({ allowed: true, remaining: 4 });
    expect(await stub.lease(policy, 3, 0, "10.0.0.3")).toMatchObject({ allowed: true, granted: 3 });
  });

  it("its alarm forgets only the keys that have been replenished for a while", async () => {
    const stub = stubFor(`test-alarm-shared-${crypto.randomUUID()}`);
    await stub.take({ limit: 1, windowSeconds: 60 }, 1, "busy");
    await runInDurableObject(stub, (_instance, state) =>
      state.storage.kv.put("tat:idle", Date.now() - FORGET_AFTER_MS - 1),
    );
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [idle, busy, alarm] = await runInDurableObject(stub, async (_instance, state) => [
      state.storage.kv.get<number>("tat:idle"),
      state.storage.kv.get<number>("tat:busy") ?? 0,
      (await state.storage.getAlarm()) ?? 0,
    ]);
    expect(idle).toBeUndefined();
    expect(alarm).toBe(busy + FORGET_AFTER_MS);
  });

  it("writes every later change of a stored key, so a credit is not undone by an eviction", async () => {
    const stub = stubFor(`test-stored-credit-${crypto.randomUUID()}`);
    for (let i = 0; i < 5; i += 1) await stub.take(policy);
    await stub.giveBack(policy, 5);
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.kv.get<number>("tat") ?? 0);
    expect(stored).toBeLessThanOrEqual(Date.now());
  });

  it("drops replenished keys from memory past its bound, keeping the keys still spending (stored or not)", async () => {
    const stub = stubFor(`test-memory-bound-${crypto.randomUUID()}`);
    const roomy = { limit: 100, windowSeconds: 60 };
    // 5 of 100: under the tenth that is written to storage, so memory is all this key has
    for (let i = 0; i < 5; i += 1) await stub.take(roomy);
    const kept = await runInDurableObject(stub, async (instance) => {
      // a look at a fresh key (a give-back that credits nothing) remembers it as replenished
      for (let i = 0; i <= MAX_KEYS_IN_MEMORY; i += 1) await instance.giveBack(roomy, 1, `idle-${i}`);
      return (instance as unknown as { tats: Map<string, number> }).tats.size;
    });
    expect(kept).toBeLessThanOrEqual(MAX_KEYS_IN_MEMORY);
    expect(await stub.take(roomy)).toMatchObject({ allowed: true, remaining: 94 });
  });

  it('reads a key stored by the previous release (plain "tat") as its sole key, and answers a call without a key', async () => {
    const stub = stubFor(`test-previous-release-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_instance, state) => state.storage.kv.put("tat", Date.now() + 60_000));
    expect(await stub.take(policy)).toMatchObject({ allowed: false });
    expect(await stub.take(policy, 1, "another-key")).toMatchObject({ allowed: true });
  });
});
