import { describe, expect, it } from "vitest";
import type { Lease } from "./rate-limits.gcra";
import { FIRST_BLOCK, LeaseBook, leaseSize } from "./rate-limits.leases";

/** A book on a clock the test moves. */
function bookAt(start = 1_000_000, options: { ttlMs?: number; maxKeys?: number; callDeadlineMs?: number } = {}) {
  const clock = { now: start };
  return { clock, book: new LeaseBook({ now: () => clock.now, ttlMs: 10_000, ...options }) };
}

const CAP = 20;
const granted = (units: number, remaining = 100): Lease => ({
  allowed: true,
  granted: units,
  remaining,
  resetSeconds: 10,
  retryAfterSeconds: 0,
});
const refused = (retryAfterSeconds: number): Lease => ({
  allowed: false,
  granted: 0,
  remaining: 0,
  resetSeconds: retryAfterSeconds,
  retryAfterSeconds,
});
const spendAll = (book: LeaseBook, id: string, units: number) => {
  for (let i = 0; i < units; i += 1) expect("decision" in book.spend(id, CAP)).toBe(true);
};

describe("leaseSize", () => {
  it("is one second's worth of the policy, at least one unit", () => {
    expect(leaseSize({ limit: 1200, windowSeconds: 60 })).toBe(20);
    expect(leaseSize({ limit: 60, windowSeconds: 60 })).toBe(1);
    expect(leaseSize({ limit: 5, windowSeconds: 900 })).toBe(1);
  });
});

describe("LeaseBook", () => {
  it("asks for a small first block for a key it holds nothing of, never above the cap", () => {
    const { book } = bookAt();
    expect(book.spend("ip", CAP)).toEqual({ returning: 0, want: FIRST_BLOCK });
    expect(book.spend("ip", 1)).toEqual({ returning: 0, want: 1 });
  });

  it("spends a block locally, one unit per request, counting the RateLimit remaining down", () => {
    const { book } = bookAt();
    expect(book.record("ip", granted(3))).toMatchObject({ allowed: true, remaining: 102 });
    expect(book.spend("ip", CAP)).toEqual({ decision: expect.objectContaining({ allowed: true, remaining: 101 }) });
    expect(book.spend("ip", CAP)).toEqual({ decision: expect.objectContaining({ allowed: true, remaining: 100 }) });
  });

  it("doubles the block each time one runs out while live, up to the cap", () => {
    const { book } = bookAt();
    const wants: number[] = [];
    let size = FIRST_BLOCK;
    for (let round = 0; round < 6; round += 1) {
      book.record("ip", granted(size));
      spendAll(book, "ip", size - 1);
      const next = book.spend("ip", CAP);
      if (!("want" in next)) throw new Error("expected a call");
      wants.push(next.want);
      size = next.want;
    }
    expect(wants).toEqual([4, 8, 16, 20, 20, 20]);
  });

  it.each([
    { case: "halves the next block when most of it was left", block: 16, spent: 3, next: { returning: 13, want: 8 } },
    { case: "keeps the block size when it was mostly spent", block: 8, spent: 6, next: { returning: 2, want: 8 } },
  ])("gives an expired block's unspent units back and $case", ({ block, spent, next }) => {
    const { book, clock } = bookAt();
    book.record("ip", granted(block));
    spendAll(book, "ip", spent - 1); // the unit record() answers for is the first one spent
    clock.now += 10_000;
    expect(book.spend("ip", CAP)).toEqual(next);
  });

  it("keeps keys apart", () => {
    const { book } = bookAt();
    book.record("a", granted(5));
    expect("want" in book.spend("b", CAP)).toBe(true);
  });

  it("remembers a refusal until its Retry-After, without asking the object", () => {
    const { book, clock } = bookAt();
    expect(book.record("ip", refused(3))).toMatchObject({ allowed: false, retryAfterSeconds: 3 });
    clock.now += 1_500;
    expect(book.spend("ip", CAP)).toEqual({
      decision: { allowed: false, remaining: 0, resetSeconds: 2, retryAfterSeconds: 2 },
    });
    clock.now += 1_500;
    expect(book.spend("ip", CAP)).toEqual({ returning: 0, want: 1 });
  });

  it("remembers an unavailable limiter for one block's lifetime, then asks again", () => {
    const { book, clock } = bookAt();
    book.recordUnavailable("ip");
    expect(book.spend("ip", CAP)).toEqual({ unavailable: true });
    clock.now += 10_000;
    expect("want" in book.spend("ip", CAP)).toBe(true);
  });

  it("pools the blocks of requests of one key that each made a call instead of losing one", () => {
    const { book } = bookAt();
    book.record("ip", granted(5));
    expect(book.record("ip", granted(5, 90))).toMatchObject({ allowed: true, remaining: 98 });
    spendAll(book, "ip", 8);
    expect("want" in book.spend("ip", CAP)).toBe(true);
  });

  it("counts down the reset time of the block it holds", () => {
    const { book, clock } = bookAt();
    book.record("ip", granted(5));
    clock.now += 4_000;
    expect(book.spend("ip", CAP)).toEqual({ decision: expect.objectContaining({ resetSeconds: 6 }) });
  });

  it("drops the oldest key beyond its size (its units are lost: stricter, never looser)", () => {
    const { book } = bookAt(1_000_000, { maxKeys: 2 });
    book.record("a", granted(5));
    book.record("b", granted(5));
    book.record("c", granted(5));
    expect(book.spend("a", CAP)).toEqual({ returning: 0, want: FIRST_BLOCK });
    expect("decision" in book.spend("b", CAP)).toBe(true);
    expect("decision" in book.spend("c", CAP)).toBe(true);
  });

  it("knows the one call in flight per key until it settles, fulfilled or rejected", async () => {
    const { book } = bookAt();
    let finish: (value: Lease) => void = () => {};
    const call = book.track("ip", new Promise<Lease>((resolve) => (finish = resolve)));
    expect(book.pending("ip")).toBe(true);
    expect(book.pending("other")).toBe(false);
    finish(granted(2));
    await call;
    await Promise.resolve();
    expect(book.pending("ip")).toBe(false);
    const failing = book.track("ip", Promise.reject(new Error("down")));
    await failing.catch(() => undefined);
    await Promise.resolve();
    expect(book.pending("ip")).toBe(false);
  });

  it("forgets a call that never settles (its request was cancelled) after the call deadline", () => {
    const { book, clock } = bookAt(1_000_000, { callDeadlineMs: 1_000 });
    book.track("ip", new Promise<Lease>(() => undefined));
    clock.now += 999;
    expect(book.pending("ip")).toBe(true);
    clock.now += 1;
    expect(book.pending("ip")).toBe(false);
  });
});
