/**
 * The mirror's write rules against a D1 double at the binding boundary: every batch is recorded,
 * and the test decides when (and whether) it succeeds. The store is a plain object with the four
 * readings the mirror takes from the real one.
 */
import { describe, expect, it } from "vitest";
import { createDatabase } from "../db/client";
import { MIRROR_SETTLE_MS, ReservedMirror } from "./stock-lock.mirror";
import type { ReservationStore } from "./stock-lock.store";

function fakeStore(units: number) {
  const state = { version: 1, units };
  const store = {
    sku: () => "SKU-MIRROR",
    shard: () => 0,
    version: () => state.version,
    reservedUnits: () => state.units,
  } as unknown as ReservationStore;
  return { store, change: (next: number) => ((state.units = next), (state.version += 1), state.version) };
}

/** A D1 binding whose batches wait for `settle()` (or fail with `fail()`); `batches` counts them. */
function controlledD1() {
  const pending: Array<{ resolve: (value: unknown) => void; reject: (error: Error) => void; size: number }> = [];
  const statement = { bind: () => statement };
  const d1 = {
    prepare: () => statement,
    batch: (statements: unknown[]) =>
      new Promise((resolve, reject) => pending.push({ resolve, reject, size: statements.length })),
  } as unknown as D1Database;
  const next = async () => {
    for (let i = 0; i < 50 && pending.length === 0; i += 1) await Promise.resolve();
    const write = pending.shift();
    if (!write) throw new Error("no mirror write was started");
    return write;
  };
  return {
    db: createDatabase(d1),
    settle: async () => {
      const write = await next();
      write.resolve(Array.from({ length: write.size }, () => ({ success: true, results: [], meta: {} })));
    },
    fail: async () => (await next()).reject(new Error("D1_ERROR: unavailable")),
    started: () => pending.length,
  };
}

describe("the StockLock's D1 mirror", () => {
  it("gives an end deferred during the alarm's write a window of its own, not the past due time", async () => {
    const d1 = controlledD1();
    const { store, change } = fakeStore(1);
    const mirror = new ReservedMirror(() => d1.db, store);
    mirror.defer(Date.now() - 2 * MIRROR_SETTLE_MS, undefined); // an end whose second is over: the alarm fires
    const writing = mirror.flush(store.version());
    change(0); // a commit lands while the write is in flight
    mirror.defer(Date.now(), undefined);
    await d1.settle();
    await writing;
    expect(mirror.dueAt()).toBeGreaterThan(Date.now() + MIRROR_SETTLE_MS / 2);
  });

  it("carries pending ends in a reserve's own write, which leaves nothing due", async () => {
    const d1 = controlledD1();
    const { store, change } = fakeStore(2);
    const mirror = new ReservedMirror(() => d1.db, store);
    change(1); // an end, deferred
    mirror.defer(Date.now(), undefined);
    expect(mirror.dueAt()).not.toBeNull();
    const reserved = change(3); // a reserve writes at once, the end with it
    const writing = mirror.flush(reserved);
    await d1.settle();
    await writing;
    expect(mirror.dueAt()).toBeNull();
  });

  it("skips a write that would not change what D1 holds, until the sweep asks it to forget", async () => {
    const d1 = controlledD1();
    const { store, change } = fakeStore(1);
    const mirror = new ReservedMirror(() => d1.db, store);
    const first = mirror.flush(store.version());
    await d1.settle();
    await first;
    await mirror.flush(change(1)); // a change that ends where it began: nothing to write
    expect(d1.started()).toBe(0);
    mirror.forgetWritten();
    const forced = mirror.flush(change(1));
    await d1.settle();
    await forced;
  });

  it("after a failed write, is due again ten seconds later, not at once", async () => {
    const d1 = controlledD1();
    const { store } = fakeStore(1);
    const mirror = new ReservedMirror(() => d1.db, store);
    mirror.defer(Date.now() - 2 * MIRROR_SETTLE_MS, undefined);
    const writing = mirror.flush(store.version());
    await d1.fail();
    await expect(writing).rejects.toThrow(/D1_ERROR/);
    expect(mirror.dueAt()).toBeGreaterThan(Date.now() + 9_000);
  });
});
