/**
 * Orders in D1 (drizzle only). Writes are returned as statements so that a change, its
 * transition row and its outbox event commit in one `db.batch()` (D1's only transaction).
 */
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { orderLines, orders, orderTransitions, type OrderStatus } from "../../db/schema";
import { adjustOnHandStatements } from "../inventory/inventory.repository";
import { findFulfillmentsQuery, type OrderFulfillmentRow } from "./order-fulfillments.repository";
import { unchangedOrderId, type OrderRead } from "./order-guard";
import { findRefundsQuery, type OrderRefundRow } from "./order-refunds.repository";
import { newId } from "../../platform/ids";
import type { JobMessage } from "../../queues/messages";
import { outboxInsert } from "../jobs/outbox";

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;

export function findOrder(db: Database, id: string): Promise<OrderRow | undefined> {
  return db.select().from(orders).where(eq(orders.id, id)).get();
}

export function findOrderByPaymentId(db: Database, paymentId: string): Promise<OrderRow | undefined> {
  return db.select().from(orders).where(eq(orders.paymentId, paymentId)).get();
}

export function findOrderByCheckoutId(db: Database, checkoutId: string): Promise<OrderRow | undefined> {
  return db.select().from(orders).where(eq(orders.checkoutId, checkoutId)).get();
}

export async function findLines(db: Database, orderIds: string[]): Promise<OrderLineRow[]> {
  if (orderIds.length === 0) return [];
  return db
    .select()
    .from(orderLines)
    .where(inArray(orderLines.orderId, orderIds))
    .orderBy(orderLines.orderId, orderLines.sku)
    .all();
}

export type OrderTransitionRow = typeof orderTransitions.$inferSelect;

const transitionsQuery = (db: Database, orderId: string) =>
  db
    .select()
    .from(orderTransitions)
    .where(eq(orderTransitions.orderId, orderId))
    .orderBy(orderTransitions.at, orderTransitions.id);

/** Everything recorded about one order. */
export interface OrderRecord {
  order: OrderRow;
  lines: OrderLineRow[];
  refunds: OrderRefundRow[];
  fulfillments: OrderFulfillmentRow[];
  transitions: OrderTransitionRow[];
}

/**
 * One order with its lines, refunds, fulfillments and transitions: ONE round trip (a batch of five
 * reads), whatever their number — the staff view and the refund and fulfillment decisions read it.
 */
export async function loadOrderRecord(db: Database, orderId: string): Promise<OrderRecord | undefined> {
  const [found, lines, refunds, fulfillments, transitions] = await db.batch([
    db.select().from(orders).where(eq(orders.id, orderId)),
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.sku),
    findRefundsQuery(db, orderId),
    findFulfillmentsQuery(db, orderId),
    transitionsQuery(db, orderId),
  ]);
  const order = found[0];
  return order ? { order, lines, refunds, fulfillments, transitions } : undefined;
}

/** What a decision about this order was made on, for the batch's guard. */
export const readOf = (record: OrderRecord): OrderRead => ({
  orderId: record.order.id,
  status: record.order.status,
  refunds: record.refunds.length,
  fulfillments: record.fulfillments.length,
  paymentStatus: record.order.paymentStatus,
});

/** The order changed since `read` (another move, refund or parcel): reload it and decide again. */
export async function changedSince(db: Database, read: OrderRead): Promise<OrderRecord | undefined> {
  const now = await loadOrderRecord(db, read.orderId);
  if (!now) return undefined;
  const after = readOf(now);
  const changed =
    after.status !== read.status ||
    after.refunds !== read.refunds ||
    after.fulfillments !== read.fulfillments ||
    after.paymentStatus !== read.paymentStatus;
  return changed ? now : undefined;
}

/** `from` inclusive, `to` exclusive, epoch ms. */
export interface OrderFilter {
  userId?: string;
  status?: OrderStatus;
  from?: number;
  to?: number;
}

/** Newest first, keyset on (created_at, id); fetches limit + 1 rows to know whether a page follows. */
export function listOrders(db: Database, filter: OrderFilter & { after?: { t: number; id: string }; limit: number }) {
  const conditions: (SQL | undefined)[] = [];
  if (filter.userId !== undefined) conditions.push(eq(orders.userId, filter.userId));
  if (filter.status !== undefined) conditions.push(eq(orders.status, filter.status));
  if (filter.from !== undefined) conditions.push(gte(orders.createdAt, filter.from));
  if (filter.to !== undefined) conditions.push(lt(orders.createdAt, filter.to));
  if (filter.after) {
    conditions.push(
      or(
        lt(orders.createdAt, filter.after.t),
        and(eq(orders.createdAt, filter.after.t), lt(orders.id, filter.after.id)),
      ),
    );
  }
  return db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(filter.limit + 1)
    .all();
}

export interface TransitionWrite {
  orderId: string;
  from: OrderStatus;
  to: OrderStatus;
  actor: string;
  reason?: string | null;
  at: number;
  event: JobMessage;
  /**
   * The refund and parcel counts the move was decided on: given, the guard also fails when a refund
   * or a parcel landed meanwhile (order-guard.ts). Left out only after an earlier statement of the
   * same batch already checked them (a refund or parcel that moves the status).
   */
  counts?: Omit<OrderRead, "orderId" | "status">;
}

/**
 * A status change as statements. The transition row comes first and is the compare-and-set
 * guard: its NOT NULL order_id is read from the order *only if it still has the expected status*
 * (and counts), so a concurrent change makes the insert fail and the whole batch roll back.
 */
export function transitionStatements(db: Database, write: TransitionWrite) {
  const guardedOrderId = write.counts
    ? unchangedOrderId({ orderId: write.orderId, status: write.from, ...write.counts })
    : sql`(select ${orders.id} from ${orders} where ${orders.id} = ${write.orderId} and ${orders.status} = ${write.from})`;
  return [
    db.insert(orderTransitions).values({
      id: newId("otr"),
      orderId: guardedOrderId,
      fromStatus: write.from,
      toStatus: write.to,
      actor: write.actor,
      reason: write.reason ?? null,
      at: write.at,
    }),
    db.update(orders).set({ status: write.to, updatedAt: write.at }).where(eq(orders.id, write.orderId)),
    outboxInsert(db, write.event),
  ] as const;
}

/** Puts units of an order back on hand (a cancel before fulfillment, a refund with restock). */
export function restockStatements(db: Database, lines: Pick<OrderLineRow, "sku" | "quantity">[], at: number) {
  // with its stock-ledger row, so the SKU's StockLock adds the units exactly once
  return lines
    .filter((line) => line.quantity > 0)
    .flatMap((line) => adjustOnHandStatements(db, line.sku, line.quantity, "restock", at));
}
