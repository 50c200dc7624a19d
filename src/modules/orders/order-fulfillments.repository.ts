/**
 * Fulfilments in D1 (drizzle only). A fulfilment row is the compare-and-set guard of its batch:
 * its NOT NULL order id is read only while the order still has the status and the number of
 * fulfilments the decision was made on, so two parcels decided on the same read cannot both ship
 * the same units.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { orderFulfillments, orders, type OrderStatus } from "../../db/schema";

export type OrderFulfillmentRow = typeof orderFulfillments.$inferSelect;
export type NewOrderFulfillment = Omit<OrderFulfillmentRow, "orderId"> & { orderId: string };

export function fulfillmentStatement(db: Database, fulfillment: NewOrderFulfillment, read: { status: OrderStatus; fulfillments: number }) {
  const count = sql`(select count(*) from ${orderFulfillments} where ${orderFulfillments.orderId} = ${fulfillment.orderId})`;
  const guardedOrderId = sql`(select ${orders.id} from ${orders} where ${orders.id} = ${fulfillment.orderId} and ${orders.status} = ${read.status} and ${count} = ${read.fulfillments})`;
  return db.insert(orderFulfillments).values({ ...fulfillment, orderId: guardedOrderId });
}

export function findFulfillmentsQuery(db: Database, orderId: string) {
  return db.select().from(orderFulfillments).where(eq(orderFulfillments.orderId, orderId)).orderBy(asc(orderFulfillments.createdAt), asc(orderFulfillments.id));
}
