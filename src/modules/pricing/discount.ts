/**
 * Discount amount and its allocation across lines. The discount is taken from the line totals
 * BEFORE tax (on gross prices when tax is inclusive, so the included tax shrinks with it).
 * Allocation: each line gets floor(discount × line / subtotal); the cents left over go one by one
 * to the largest line first (then the next largest), never beyond a line's own total.
 */
import { mulDivFloor, mulDivRoundHalfUp } from "./rounding";
import { BASIS_POINTS, type DiscountInput } from "./pricing.types";

export type DiscountOutcome = { amount: number; belowMinimum: boolean };

export function discountAmount(discount: DiscountInput | null, subtotal: number): DiscountOutcome {
  if (!discount || subtotal === 0) return { amount: 0, belowMinimum: false };
  if (subtotal < discount.minSubtotal) return { amount: 0, belowMinimum: true };
  const raw = discount.kind === "percentage" ? mulDivRoundHalfUp(subtotal, discount.percentBasisPoints, BASIS_POINTS) : discount.amount;
  return { amount: Math.min(raw, subtotal), belowMinimum: false };
}

/** Shares of `amount` per line (same order as `lineTotals`), summing exactly to `amount`. */
export function allocateProportionally(amount: number, lineTotals: readonly number[]): number[] {
  const subtotal = lineTotals.reduce((sum, total) => sum + total, 0);
  if (amount > subtotal) throw new RangeError(`cannot allocate ${amount} over ${subtotal}`);
  if (amount === 0 || subtotal === 0) return lineTotals.map(() => 0);
  const shares = lineTotals.map((total) => mulDivFloor(amount, total, subtotal));
  let left = amount - shares.reduce((sum, share) => sum + share, 0);
  // largest line first; a stable sort keeps the earlier line first on ties
  const order = lineTotals.map((total, index) => ({ total, index })).sort((a, b) => b.total - a.total);
  while (left > 0) {
    for (const { total, index } of order) {
      if (left === 0) break;
      const room = total - (shares[index] ?? 0);
      const give = Math.min(room, left);
      shares[index] = (shares[index] ?? 0) + give;
      left -= give;
    }
  }
  return shares;
}
