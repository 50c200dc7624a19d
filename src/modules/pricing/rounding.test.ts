import { describe, expect, it } from "vitest";
import { mulDivFloor, mulDivRoundHalfUp, multiplyExact, sumExact } from "./rounding";

describe("mulDivRoundHalfUp", () => {
  it.each([
    [1, 1, 2, 1], // 0.5 → 1
    [1, 1, 3, 0], // 0.333 → 0
    [2, 1, 3, 1], // 0.667 → 1
    [145, 1, 10, 15], // 14.5 → 15 (half-up, not half-even)
    [125, 1, 10, 13], // 12.5 → 13 (half-even would say 12)
    [0, 2100, 12100, 0],
    [Number.MAX_SAFE_INTEGER, 3, 3, Number.MAX_SAFE_INTEGER], // the intermediate product exceeds 2^53
  ])("%i × %i / %i = %i", (value, multiplier, divisor, expected) => {
    expect(mulDivRoundHalfUp(value, multiplier, divisor)).toBe(expected);
  });

  it.each([
    [1.5, 1, 1],
    [-1, 1, 1],
    [1, 1, 0],
    [Number.NaN, 1, 1],
  ])("rejects non-integer, negative or zero-divisor input (%s, %s, %s)", (value, multiplier, divisor) => {
    expect(() => mulDivRoundHalfUp(value, multiplier, divisor)).toThrow(RangeError);
  });
});

describe("exact helpers", () => {
  it("floors proportional shares", () => expect(mulDivFloor(100, 333, 999)).toBe(33));
  it("multiplies exactly and refuses overflow", () => {
    expect(multiplyExact(999_999, 100)).toBe(99_999_900);
    expect(() => multiplyExact(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });
  it("sums exactly and refuses overflow", () => {
    expect(sumExact([1, 2, 3])).toBe(6);
    expect(() => sumExact([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
