import { describe, expect, it } from "vitest";
import {
  allocateLargestLineFirst,
  allocateLargestRemainder,
  basisPointsToPercent,
  isWholeBasisPoints,
  mulDivFloor,
  mulDivRoundHalfUp,
  multiplyExact,
  percentToBasisPoints,
  sumExact,
} from "./rounding";

/** A seeded LCG, so every property run sees the same cases. */
function cases(seed: number) {
  let state = seed >>> 0;
  const int = (min: number, max: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return min + Math.floor((state / 2 ** 32) * (max - min + 1));
  };
  return Array.from({ length: 500 }, () => {
    const weights = Array.from({ length: int(1, 6) }, () => (int(0, 4) === 0 ? int(0, 3) : int(1, 100_000)));
    return { weights, amount: int(0, sumExact(weights)) };
  });
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

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

  it("is within half a unit of the exact quotient, ties up", () => {
    for (const { weights, amount } of cases(1)) {
      const [multiplier = 0, divisor = 0] = weights;
      if (divisor === 0) continue;
      const rounded = mulDivRoundHalfUp(amount, multiplier, divisor);
      expect(2 * Math.abs(rounded * divisor - amount * multiplier)).toBeLessThanOrEqual(divisor);
      expect(2 * (amount * multiplier - rounded * divisor)).toBeLessThan(divisor);
    }
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

describe("allocateLargestLineFirst (a cart discount over its lines)", () => {
  it.each([
    { name: "exact proportions", amount: 300, lines: [1000, 2000], shares: [100, 200] },
    {
      name: "1 ¢ over three equal lines goes to the first largest",
      amount: 1,
      lines: [333, 333, 333],
      shares: [1, 0, 0],
    },
    { name: "the remainder goes to the largest line", amount: 10, lines: [100, 700, 200], shares: [1, 7, 2] },
    { name: "remainder on the largest even when it is last", amount: 5, lines: [1, 1, 3], shares: [1, 1, 3] },
    { name: "never more than a line's own total (2 ¢ over 3 × 1 ¢)", amount: 2, lines: [1, 1, 1], shares: [1, 1, 0] },
    {
      name: "all the left-over cents to the largest line while it holds them",
      amount: 50,
      lines: [100, 1, 1, 1],
      shares: [50, 0, 0, 0],
    },
    { name: "the whole subtotal", amount: 999, lines: [333, 333, 333], shares: [333, 333, 333] },
    { name: "nothing to allocate", amount: 0, lines: [5, 7], shares: [0, 0] },
    { name: "large amounts stay exact", amount: 9_999_990, lines: [99_999_900, 1], shares: [9_999_990, 0] },
  ])("$name", ({ amount, lines, shares }) => {
    const result = allocateLargestLineFirst(amount, lines);
    expect(result).toEqual(shares);
    expect(sum(result)).toBe(amount);
  });

  it("refuses to allocate more than the lines hold", () => {
    expect(() => allocateLargestLineFirst(11, [5, 5])).toThrow(RangeError);
  });

  it("always sums to the amount, never negative, never above a line, at least each floor share", () => {
    for (const { weights, amount } of cases(2)) {
      const shares = allocateLargestLineFirst(amount, weights);
      expect(sum(shares)).toBe(amount);
      shares.forEach((share, index) => {
        const line = weights[index] ?? 0;
        expect(share).toBeGreaterThanOrEqual(Math.max(0, mulDivFloor(amount, line, Math.max(1, sumExact(weights)))));
        expect(share).toBeLessThanOrEqual(line);
      });
    }
  });

  it("is order-stable: reordering distinct lines reorders their shares", () => {
    for (const { weights, amount } of cases(3)) {
      if (new Set(weights).size !== weights.length) continue;
      expect(allocateLargestLineFirst(amount, [...weights].reverse())).toEqual(
        allocateLargestLineFirst(amount, weights).reverse(),
      );
    }
  });
});

describe("allocateLargestRemainder (an older order's goods over its lines)", () => {
  it.each([
    {
      name: "an older order's goods by line totals",
      amount: 1000,
      weights: [2997, 1999, 1500],
      shares: [461, 308, 231],
    },
    { name: "one cent each to the largest remainders", amount: 10, weights: [1, 1, 1], shares: [4, 3, 3] },
    {
      name: "one cent at most per entry (not all to the largest)",
      amount: 50,
      weights: [100, 1, 1, 1],
      shares: [49, 1, 0, 0],
    },
    { name: "exact proportions", amount: 300, weights: [1000, 2000], shares: [100, 200] },
    { name: "nothing to share", amount: 0, weights: [5, 7], shares: [0, 0] },
    { name: "weights of 0: a cent each to the first entries", amount: 1, weights: [0, 0], shares: [1, 0] },
  ])("$name", ({ amount, weights, shares }) => {
    expect(allocateLargestRemainder(amount, weights)).toEqual(shares);
  });

  it("rejects a negative amount", () => expect(() => allocateLargestRemainder(-1, [1])).toThrow(RangeError));

  it("always sums to the amount, never negative, each share within one cent below the exact share", () => {
    for (const { weights, amount } of cases(4)) {
      const total = sumExact(weights);
      if (total === 0) continue;
      const shares = allocateLargestRemainder(amount, weights);
      expect(sum(shares)).toBe(amount);
      shares.forEach((share, index) => {
        const floor = mulDivFloor(amount, weights[index] ?? 0, total);
        expect(share).toBeGreaterThanOrEqual(0);
        expect([floor, floor + 1]).toContain(share);
      });
    }
  });

  it("is order-stable: reordering entries of distinct remainders reorders their shares", () => {
    for (const { weights, amount } of cases(5)) {
      const total = sumExact(weights);
      if (total === 0 || new Set(weights.map((weight) => (amount * weight) % total)).size !== weights.length) continue;
      expect(allocateLargestRemainder(amount, [...weights].reverse())).toEqual(
        allocateLargestRemainder(amount, weights).reverse(),
      );
    }
  });
});

describe("percent ↔ basis points (discount values)", () => {
  it.each([
    [12.5, 1250],
    [0.01, 1],
    [0.07, 7], // 0.07 × 100 = 7.000000000000001
    [33.33, 3333],
    [100, 10_000],
  ])("%s %% = %i bp", (percent, basisPoints) => {
    expect(percentToBasisPoints(percent)).toBe(basisPoints);
    expect(basisPointsToPercent(basisPoints)).toBe(percent);
  });

  it("round-trips every whole basis point up to 100 %", () => {
    for (let basisPoints = 1; basisPoints <= 10_000; basisPoints += 1) {
      const percent = basisPointsToPercent(basisPoints);
      expect(isWholeBasisPoints(percent)).toBe(true);
      expect(percentToBasisPoints(percent)).toBe(basisPoints);
    }
  });

  it("refuses more than two decimals", () => {
    expect(isWholeBasisPoints(12.345)).toBe(false);
    expect(isWholeBasisPoints(0.001)).toBe(false);
  });
});
