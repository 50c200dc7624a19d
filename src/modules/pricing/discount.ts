/**
 * Discount amount. The discount is taken from the line totals BEFORE tax (on gross prices when tax
 * is inclusive, so the included tax shrinks with it); its allocation across lines is
 * `allocateLargestLineFirst` in ./rounding.
 */
import { mulDivRoundHalfUp } from "./rounding";
import { BASIS_POINTS, type DiscountInput } from "./pricing.types";

export type DiscountOutcome = { amount: number; belowMinimum: boolean };

export function discountAmount(discount: DiscountInput | null, subtotal: number): DiscountOutcome {
  if (!discount || subtotal === 0) return { amount: 0, belowMinimum: false };
  if (subtotal < discount.minSubtotal) return { amount: 0, belowMinimum: true };
  const raw =
    discount.kind === "percentage"
      ? mulDivRoundHalfUp(subtotal, discount.percentBasisPoints, BASIS_POINTS)
      : discount.amount;
  return { amount: Math.min(raw, subtotal), belowMinimum: false };
}
