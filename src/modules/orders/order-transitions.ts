/**
 * The moves of the order state machine as plain data (see order-state.ts for what each move does).
 * Kept apart, free of runtime imports, so the operations console can show exactly the moves the
 * server allows without a copy of the table.
 */
import type { OrderStatus } from "../../db/schema/orders";

export const ALLOWED_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "cancelled"],
  paid: ["fulfilled", "cancelled", "refunded"],
  fulfilled: ["shipped", "refunded"],
  shipped: ["delivered", "refunded"],
  delivered: ["refunded"],
  cancelled: [],
  refunded: [],
};
