/**
 * The order state machine: its one table of moves is order-transitions.ts (plain data, also read by
 * the console). Everything that changes an order's status asks this module first; a move that is not
 * listed is a 409. Partial refunds leave the status alone, but for the one that empties the capture
 * (refund-order.ts). The moves and their side effects: docs/checkout.md, "Orders".
 */
import type { OrderStatus } from "../../db/schema";
import type { EventType } from "../jobs/outbox";
import { ConflictError } from "../../platform/errors";
import { ALLOWED_TRANSITIONS } from "./order-transitions";

export { ALLOWED_TRANSITIONS };

export const TRANSITION_EVENTS: Readonly<Record<OrderStatus, EventType>> = {
  pending: "order.created",
  paid: "order.paid",
  fulfilled: "order.fulfilled",
  partially_shipped: "order.shipped",
  shipped: "order.shipped",
  delivered: "order.delivered",
  cancelled: "order.cancelled",
  refunded: "order.refunded",
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    const allowed = ALLOWED_TRANSITIONS[from];
    throw new ConflictError({
      detail:
        `An order that is ${from} cannot become ${to}` +
        (allowed.length ? ` (allowed: ${allowed.join(", ")})` : " (it is final)"),
      extensions: { status: from, allowed },
    });
  }
}

/** Money goes back whenever an order that was paid ends cancelled or refunded. */
export function refundsPayment(from: OrderStatus, to: OrderStatus): boolean {
  return (to === "cancelled" || to === "refunded") && from !== "pending";
}

/** Stock goes back only when nothing left the warehouse yet (from pending or paid). */
export function returnsStock(from: OrderStatus, to: OrderStatus): boolean {
  return (to === "cancelled" || to === "refunded") && (from === "pending" || from === "paid");
}
