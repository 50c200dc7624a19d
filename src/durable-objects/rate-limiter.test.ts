import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { available, DURABLE_FROM_SHARE, FORGET_AFTER_MS, gcra } from "./rate-limiter";

const stubFor = (name: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));
const policy = { limit: 5, windowSeconds: 60 };

describe("GCRA", () => {
  it("allows a burst of `limit`, then denies with the wait until one unit refills", () => {
    let tat = 0;
    const now = 1_000_000;
    for (let used = 1; used <= 5; used += 1) {
      const step = gcra(policy, tat, now, 1);
      expect(step.decision).toMatchObject({ allowed: true, remaining: 5 - used });
      tat = step.tat;
    }
    const denied = gcra(policy, tat, now, 1);
    expect(denied.decision).toEqual({ allowed: false, remaining: 0, resetSeconds: 12, retryAfterSeconds: 12 });
    expect(denied.tat).toBe(tat);
  });

  it("refills one unit per window/limit", () => {
    let tat = 0;
    for (let i = 0; i < 5; i += 1) tat = gcra(policy, tat, 0, 1).tat;
    expect(gcra(policy, tat, 11_999, 1).decision.allowed).toBe(false);
    expect(gcra(policy, tat, 12_000, 1).decision).toMatchObject({ allowed: true, remaining: 0 });
    expect(gcra(policy, tat, 60_000, 1).decision).toMatchObject({ allowed: true, remaining: 4 });
  });
});

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

  it("its alarm forgets a key once fully replenished", async () => {
    const stub = stubFor(`test-alarm-${crypto.randomUUID()}`);
    // half of a 10 ms burst: stored, and replenished 10 ms later
    await stub.take({ limit: 2, windowSeconds: 0.01 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.kv.get<number>("tat"));
    expect(stored).toBeUndefined();
  });

  it("keeps a replenished key for a while instead of deleting and re-creating it between two requests", async () => {
    const stub = stubFor(`test-alarm-late-${crypto.randomUUID()}`);
    await stub.take({ limit: 2, windowSeconds: 60 });
    const [tat, alarm] = await runInDurableObject(stub, async (_instance, state) => [state.storage.kv.get<number>("tat") ?? 0, (await state.storage.getAlarm()) ?? 0]);
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
});

describe("available", () => {
  it("counts the units a key could spend now", () => {
    expect(available(policy, 0, 1_000)).toBe(5);
    expect(available(policy, gcra(policy, 0, 1_000, 3).tat, 1_000)).toBe(2);
    expect(available(policy, gcra(policy, 0, 1_000, 5).tat, 1_000 + 11_999)).toBe(0);
    expect(available(policy, gcra(policy, 0, 1_000, 5).tat, 1_000 + 12_000)).toBe(1);
  });
});
