/**
 * The moves of the order state machine as plain data (see order-state.ts for what each move does).
 * Kept apart, free of runtime imports, so the operations console can show exactly the moves the
 * server allows without a copy of the table.
 */
import type { OrderStatus } from "../../db/schema/orders";

export const ALLOWED_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "cancelled"],
  paid: ["fulfilled", "partially_shipped", "shipped", "cancelled", "refunded"],
  fulfilled: ["partially_shipped", "shipped", "refunded"],
  partially_shipped: ["shipped", "refunded"],
  shipped: ["delivered", "refunded"],
  delivered: ["refunded"],
  cancelled: [],
  refunded: [],
};

/** Reached only by recording a fulfillment (which says which units left), never by a bare status change. */
export const FULFILLMENT_ONLY_STATUSES: readonly OrderStatus[] = ["partially_shipped"];

function withoutFulfillmentOnly(
  table: Readonly<Record<OrderStatus, readonly OrderStatus[]>>,
): Readonly<Record<OrderStatus, readonly OrderStatus[]>> {
  const manual = { ...table };
  for (const from of Object.keys(manual) as OrderStatus[])
    manual[from] = manual[from].filter((to) => !FULFILLMENT_ONLY_STATUSES.includes(to));
  return manual;
}

/** What staff may pick in a plain status change (POST /v1/admin/orders/{id}/transition). */
export const MANUAL_TRANSITIONS = withoutFulfillmentOnly(ALLOWED_TRANSITIONS);
