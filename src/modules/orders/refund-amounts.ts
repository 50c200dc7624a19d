/**
 * What a staff refund gives back, to the cent (plain arithmetic, no I/O): what the buyer paid for
 * each line as the cart priced it, shared out cumulatively so a line refunded unit by unit adds up to
 * exactly what was paid; shipping only with a refund of everything left or an `amount`; never more
 * than is left of the capture. The rules and why: docs/checkout.md, "Staff view, fulfillments and
 * refunds" (How much).
 */
import type { LineQuantity } from "../../db/schema";
import { ConflictError, UnprocessableError } from "../../platform/errors";
import { allocateLargestRemainder, mulDivRoundHalfUp } from "../pricing";
import { unitsBySku } from "./order-units";

export interface RefundableOrder {
  total: number;
  shipping: number;
  taxInclusive: boolean;
}

export interface RefundableLine {
  sku: string;
  quantity: number;
  total: number;
  discount: number | null;
  tax: number | null;
}

export interface PastRefund {
  amount: number;
  lines: LineQuantity[] | null;
}

export interface RefundAsk {
  lines?: LineQuantity[];
  amount?: number;
}

export interface RefundPlan {
  amount: number;
  /** The units this refund covers (restocked when asked); empty for an amount-only refund. */
  lines: LineQuantity[];
}

/** What the buyer paid for each line, by SKU; the values add up to the order's total minus shipping. */
export function paidPerLine(order: RefundableOrder, lines: RefundableLine[]): Map<string, number> {
  if (lines.every((line) => line.discount !== null && line.tax !== null)) {
    return new Map(
      lines.map((line) => [line.sku, line.total - (line.discount ?? 0) + (order.taxInclusive ? 0 : (line.tax ?? 0))]),
    );
  }
  // SKUs are unique per order; sorted, so that equal remainders go to the first SKU
  const bySku = [...lines].sort((a, b) => a.sku.localeCompare(b.sku));
  const shares = allocateLargestRemainder(
    order.total - order.shipping,
    bySku.map((line) => line.total),
  );
  const shareOf = new Map(bySku.map((line, index) => [line.sku, shares[index] ?? 0]));
  return new Map(lines.map((line) => [line.sku, shareOf.get(line.sku) ?? 0]));
}

export const refundedAmount = (refunds: PastRefund[]) => refunds.reduce((sum, refund) => sum + refund.amount, 0);

/** Decides the amount and units of a refund, or refuses it with the reason staff can act on. */
export function planRefund(
  order: RefundableOrder,
  lines: RefundableLine[],
  refunds: PastRefund[],
  ask: RefundAsk,
): RefundPlan {
  const left = order.total - refundedAmount(refunds);
  if (left <= 0) throw new ConflictError({ detail: "Everything captured for this order has already been refunded" });
  const refunded = unitsBySku(refunds);
  const paid = paidPerLine(order, lines);

  let plan: RefundPlan;
  if (ask.lines) {
    let share = 0;
    ask.lines.forEach((wanted, index) => {
      const line = lines.find((candidate) => candidate.sku === wanted.sku);
      if (!line)
        throw new UnprocessableError({
          detail: `SKU ${wanted.sku} is not in this order`,
          errors: [{ path: `lines.${index}.sku`, message: "not in this order" }],
        });
      const before = refunded.get(line.sku) ?? 0;
      const open = line.quantity - before;
      if (wanted.quantity > open) {
        throw new UnprocessableError({
          detail: `Only ${open} unit(s) of ${line.sku} are left to refund`,
          errors: [{ path: `lines.${index}.quantity`, message: `at most ${open}` }],
        });
      }
      const linePaid = paid.get(line.sku) ?? 0;
      share +=
        mulDivRoundHalfUp(linePaid, before + wanted.quantity, line.quantity) -
        mulDivRoundHalfUp(linePaid, before, line.quantity);
    });
    plan = { amount: ask.amount ?? share, lines: ask.lines };
  } else if (ask.amount !== undefined) {
    plan = { amount: ask.amount, lines: [] };
  } else {
    const open = lines
      .map((line) => ({ sku: line.sku, quantity: line.quantity - (refunded.get(line.sku) ?? 0) }))
      .filter((line) => line.quantity > 0);
    plan = { amount: left, lines: open };
  }
  if (plan.amount > left) {
    throw new UnprocessableError({
      detail: `A refund of ${plan.amount} exceeds the ${left} left of what was captured`,
      errors: [{ path: "amount", message: `at most ${left}` }],
      extensions: { refundable: left },
    });
  }
  if (plan.amount <= 0)
    throw new UnprocessableError({
      detail: "Nothing to refund: those units were paid nothing",
      errors: [{ path: "lines", message: "nothing to refund" }],
    });
  return plan;
}
