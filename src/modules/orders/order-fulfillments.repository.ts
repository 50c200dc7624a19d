/** Fulfillments (parcels) in D1 (drizzle only). */
import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { orderFulfillments } from "../../db/schema";
import { unchangedOrderId, type OrderRead } from "./order-guard";

export type OrderFulfillmentRow = typeof orderFulfillments.$inferSelect;
export type NewOrderFulfillment = Omit<OrderFulfillmentRow, "orderId"> & { orderId: string };

/** Batchable: the parcel, guarded by the order being as the decision read it (order-guard.ts). */
export function fulfillmentStatement(db: Database, fulfillment: NewOrderFulfillment, read: OrderRead) {
  return db.insert(orderFulfillments).values({ ...fulfillment, orderId: unchangedOrderId(read) });
}

export function findFulfillmentsQuery(db: Database, orderId: string) {
  return db
    .select()
    .from(orderFulfillments)
    .where(eq(orderFulfillments.orderId, orderId))
    .orderBy(asc(orderFulfillments.createdAt), asc(orderFulfillments.id));
}
