import { describe, expect, it } from "vitest";
import { discountAmount } from "./discount";

describe("discountAmount", () => {
  it.each([
    {
      name: "10 % of 49.00",
      discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 1000, minSubtotal: 0 },
      subtotal: 4900,
      amount: 490,
    },
    {
      name: "12.5 % of 0.99 rounds half-up (12.375 → 12)",
      discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 1250, minSubtotal: 0 },
      subtotal: 99,
      amount: 12,
    },
    {
      name: "15 % of 0.10 is exactly 1.5 → 2",
      discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 1500, minSubtotal: 0 },
      subtotal: 10,
      amount: 2,
    },
    {
      name: "100 % is the whole subtotal",
      discount: { code: "P", kind: "percentage" as const, percentBasisPoints: 10_000, minSubtotal: 0 },
      subtotal: 12_345,
      amount: 12_345,
    },
    {
      name: "fixed 5.00",
      discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 3000 },
      subtotal: 3000,
      amount: 500,
    },
    {
      name: "fixed capped at the subtotal",
      discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 0 },
      subtotal: 300,
      amount: 300,
    },
    {
      name: "below the minimum subtotal",
      discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 3000 },
      subtotal: 2999,
      amount: 0,
    },
    {
      name: "an empty cart gets nothing",
      discount: { code: "F", kind: "fixed" as const, amount: 500, minSubtotal: 0 },
      subtotal: 0,
      amount: 0,
    },
  ])("$name", ({ discount, subtotal, amount }) => {
    expect(discountAmount(discount, subtotal).amount).toBe(amount);
  });

  it("flags a cart below the minimum", () => {
    expect(discountAmount({ code: "F", kind: "fixed", amount: 500, minSubtotal: 3000 }, 2999)).toEqual({
      amount: 0,
      belowMinimum: true,
    });
  });
});
