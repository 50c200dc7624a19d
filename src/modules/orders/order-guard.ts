/**
 * The compare-and-set guard of every batch that changes an order (a move, a refund, a parcel):
 * the NOT NULL `order_id` of the batch's first row is read from `orders` only while the order is
 * still as the decision read it — same status, same number of refunds, same number of parcels, and
 * (manual capture) the authorisation where it was: a release decided on an authorisation cannot
 * land after a capture that did not subtract it.
 * Otherwise the subselect is NULL, the insert fails and D1 rolls the whole batch back. So a refund
 * and a parcel, or a cancel and a partial refund, decided on the same read cannot both commit.
 */
import { sql } from "drizzle-orm";
import { orderFulfillments, orderRefunds, orders, type OrderPaymentStatus, type OrderStatus } from "../../db/schema";

export interface OrderRead {
  orderId: string;
  status: OrderStatus;
  refunds: number;
  fulfillments: number;
  /** null for an automatic-capture or free order. */
  paymentStatus: OrderPaymentStatus | null;
}

export function unchangedOrderId(read: OrderRead) {
  const refunds = sql`(select count(*) from ${orderRefunds} where ${orderRefunds.orderId} = ${read.orderId})`;
  const fulfillments = sql`(select count(*) from ${orderFulfillments} where ${orderFulfillments.orderId} = ${read.orderId})`;
  return sql`(select ${orders.id} from ${orders}
    where ${orders.id} = ${read.orderId} and ${orders.status} = ${read.status}
      and ${refunds} = ${read.refunds} and ${fulfillments} = ${read.fulfillments}
      and ${orders.paymentStatus} IS ${read.paymentStatus})`;
}
