import { describe, expect, it } from "vitest";
import type { Lease } from "../../durable-objects/rate-limiter";
import { LeaseBook, leaseSize } from "./rate-limit-leases";

/** A book on a clock the test moves. */
function bookAt(start = 1_000_000, options: { ttlMs?: number; maxKeys?: number } = {}) {
  const clock = { now: start };
  return { clock, book: new LeaseBook({ now: () => clock.now, ...options }) };
}

const granted = (units: number, remaining = 100): Lease => ({ allowed: true, granted: units, remaining, resetSeconds: 10, retryAfterSeconds: 0 });
const refused = (retryAfterSeconds: number): Lease => ({ allowed: false, granted: 0, remaining: 0, resetSeconds: retryAfterSeconds, retryAfterSeconds });

describe("leaseSize", () => {
  it("is one second's worth of the policy, at least one unit", () => {
    expect(leaseSize({ limit: 1200, windowSeconds: 60 })).toBe(20);
    expect(leaseSize({ limit: 60, windowSeconds: 60 })).toBe(1);
    expect(leaseSize({ limit: 5, windowSeconds: 900 })).toBe(1);
  });
});

describe("LeaseBook", () => {
  it("asks the object for a key it holds nothing of", () => {
    expect(bookAt().book.spend("ip")).toEqual({ returning: 0 });
  });

  it("spends a block locally, one unit per request, and asks again once it is gone", () => {
    const { book } = bookAt();
    expect(book.record("ip", granted(3))).toMatchObject({ allowed: true, remaining: 102 });
    expect(book.spend("ip")).toEqual({ decision: expect.objectContaining({ allowed: true, remaining: 101 }) });
    expect(book.spend("ip")).toEqual({ decision: expect.objectContaining({ allowed: true, remaining: 100 }) });
    expect(book.spend("ip")).toEqual({ returning: 0 });
  });

  it("keeps keys apart", () => {
    const { book } = bookAt();
    book.record("a", granted(5));
    expect(book.spend("b")).toEqual({ returning: 0 });
  });

  it("gives an expired block's unspent units back with the next call", () => {
    const { book, clock } = bookAt(1_000_000, { ttlMs: 10_000 });
    book.record("ip", granted(20));
    book.spend("ip");
    clock.now += 10_000;
    expect(book.spend("ip")).toEqual({ returning: 18 });
    expect(book.spend("ip")).toEqual({ returning: 0 });
  });

  it("remembers a refusal until its Retry-After, without asking the object", () => {
    const { book, clock } = bookAt();
    expect(book.record("ip", refused(3))).toMatchObject({ allowed: false, retryAfterSeconds: 3 });
    clock.now += 1_500;
    expect(book.spend("ip")).toEqual({ decision: { allowed: false, remaining: 0, resetSeconds: 2, retryAfterSeconds: 2 } });
    clock.now += 1_500;
    expect(book.spend("ip")).toEqual({ returning: 0 });
  });

  it("pools the blocks of concurrent requests of one key instead of losing one", () => {
    const { book } = bookAt();
    book.record("ip", granted(5));
    expect(book.record("ip", granted(5, 90))).toMatchObject({ allowed: true, remaining: 98 });
    for (let i = 0; i < 8; i += 1) expect("decision" in book.spend("ip")).toBe(true);
    expect(book.spend("ip")).toEqual({ returning: 0 });
  });

  it("counts down the reset time of the block it holds", () => {
    const { book, clock } = bookAt();
    book.record("ip", granted(5));
    clock.now += 4_000;
    expect(book.spend("ip")).toEqual({ decision: expect.objectContaining({ resetSeconds: 6 }) });
  });

  it("drops the oldest key beyond its size (its units are lost: stricter, never looser)", () => {
    const { book } = bookAt(1_000_000, { maxKeys: 2 });
    book.record("a", granted(5));
    book.record("b", granted(5));
    book.record("c", granted(5));
    expect(book.spend("a")).toEqual({ returning: 0 });
    expect("decision" in book.spend("b")).toBe(true);
    expect("decision" in book.spend("c")).toBe(true);
  });
});
