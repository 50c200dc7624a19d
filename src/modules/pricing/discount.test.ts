import { describe, expect, it } from "vitest";
import { allocateProportionally, discountAmount } from "./discount";

describe("discountAmount", () => {
  it.each([
    { name: "10 % of 49.00", discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 1000, minSubtotal: 0 }, subtotal: 4900, amount: 490 },
    { name: "12.5 % of 0.99 rounds half-up (12.375 → 12)", discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 1250, minSubtotal: 0 }, subtotal: 99, amount: 12 },
    { name: "15 % of 0.10 is exactly 1.5 → 2", discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 1500, minSubtotal: 0 }, subtotal: 10, amount: 2 },
    { name: "100 % is the whole subtotal", discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 10_000, minSubtotal: 0 }, subtotal: 12_345, amount: 12_345 },
    { name: "fixed 5.00", discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 3000 }, subtotal: 3000, amount: 500 },
    { name: "fixed capped at the subtotal", discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 0 }, subtotal: 300, amount: 300 },
    { name: "below the minimum subtotal", discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 3000 }, subtotal: 2999, amount: 0 },
    { name: "an empty cart gets nothing", discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 0 }, subtotal: 0, amount: 0 },
  ])("$name", ({ discount, subtotal, amount }) => {
    expect(discountAmount(discount, subtotal).amount).toBe(amount);
  });

  it("flags a cart below the minimum", () => {
    expect(discountAmount({ code: "F", kind: "fixed", amount: 500, minSubtotal: 3000 }, 2999)).toEqual({ amount: 0, belowMinimum: true });
  });
});

describe("allocateProportionally", () => {
  it.each([
    { name: "exact proportions", amount: 300, lines: [1000, 2000], shares: [100, 200] },
    { name: "1 ¢ over three equal lines goes to the first largest", amount: 1, lines: [333, 333, 333], shares: [1, 0, 0] },
    { name: "the remainder goes to the largest line", amount: 10, lines: [100, 700, 200], shares: [1, 7, 2] },
    { name: "remainder on the largest even when it is last", amount: 5, lines: [1, 1, 3], shares: [1, 1, 3] },
    { name: "never more than a line's own total (2 ¢ over 3 × 1 ¢)", amount: 2, lines: [1, 1, 1], shares: [1, 1, 0] },
    { name: "the whole subtotal", amount: 999, lines: [333, 333, 333], shares: [333, 333, 333] },
    { name: "nothing to allocate", amount: 0, lines: [5, 7], shares: [0, 0] },
    { name: "large amounts stay exact", amount: 9_999_990, lines: [99_999_900, 1], shares: [9_999_990, 0] },
  ])("$name", ({ amount, lines, shares }) => {
    const result = allocateProportionally(amount, lines);
    expect(result).toEqual(shares);
    expect(result.reduce((a, b) => a + b, 0)).toBe(amount);
  });

  it("refuses to allocate more than the lines hold", () => {
    expect(() => allocateProportionally(11, [5, 5])).toThrow(RangeError);
  });
});
