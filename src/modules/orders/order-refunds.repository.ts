/**
 * Order refunds in D1 (drizzle only). A refund row is written `pending` inside the batch of the
 * order change that decides it, BEFORE the provider is called, and the statement itself refuses to
 * refund more than was paid: its NOT NULL order id is read from the order only while the refunds
 * of that order (pending ones included) plus this one stay within the order's total.
 */
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { orderRefunds, orders } from "../../db/schema";
import { unchangedOrderId, type OrderRead } from "./order-guard";

export type OrderRefundRow = typeof orderRefunds.$inferSelect;
export type NewOrderRefund = Omit<typeof orderRefunds.$inferInsert, "orderId" | "status" | "attempts"> & {
  orderId: string;
};

/** Batchable: the pending refund, guarded so that refunds never exceed what the order was paid. */
export function pendingRefundStatement(db: Database, refund: NewOrderRefund) {
  const refunded = sql`(select coalesce(sum(${orderRefunds.amount}), 0) from ${orderRefunds}
    where ${orderRefunds.orderId} = ${refund.orderId})`;
  const guardedOrderId = sql`(select ${orders.id} from ${orders}
    where ${orders.id} = ${refund.orderId} and ${refunded} + ${refund.amount} <= ${orders.total})`;
  return db.insert(orderRefunds).values({ ...refund, orderId: guardedOrderId, status: "pending", attempts: 0 });
}

/**
 * Batchable: a staff refund, decided from what the caller read. Guarded twice: the order is still
 * as read (order-guard.ts), and the refunds plus this one stay within the total.
 */
export function decidedRefundStatement(db: Database, refund: NewOrderRefund, read: OrderRead) {
  return db
    .insert(orderRefunds)
    .values({ ...refund, orderId: guardedWithinTotal(refund, read), status: "pending", attempts: 0 });
}

/**
 * Batchable: a refund decided while the payment is only authorised (manual capture) — a `release`:
 * that money is never taken, so there is nothing to send and it is done at once. The guard also
 * holds the authorisation where it was read, so a capture that did not subtract it cannot pass.
 */
export function decidedReleaseStatement(db: Database, refund: NewOrderRefund, read: OrderRead) {
  return db.insert(orderRefunds).values({
    ...refund,
    orderId: guardedWithinTotal(refund, read),
    kind: "release",
    status: "succeeded",
    attempts: 0,
  });
}

function guardedWithinTotal(refund: NewOrderRefund, read: OrderRead) {
  const refunded = sql`(select coalesce(sum(${orderRefunds.amount}), 0) from ${orderRefunds}
    where ${orderRefunds.orderId} = ${refund.orderId})`;
  return sql`(select ${orders.id} from ${orders}
    where ${orders.id} = ${unchangedOrderId(read)} and ${refunded} + ${refund.amount} <= ${orders.total})`;
}

/**
 * A refund row is `succeeded` only with the provider's id of that refund: the row says the money
 * went back, and only the provider's own refund proves it (a failure event must never write a
 * "succeeded" refund that did not happen). Every writer of a succeeded row goes through this.
 */
function requireProviderRefundId(providerRefundId: string | null | undefined): string {
  if (!providerRefundId?.trim())
    throw new Error("a refund is recorded as succeeded only with the provider's refund id");
  return providerRefundId;
}

/** Batchable: money that already went back at the provider (its webhook named the refund), recorded as done. */
export function settledRefundStatement(db: Database, refund: NewOrderRefund) {
  const providerRefundId = requireProviderRefundId(refund.providerRefundId);
  return db
    .insert(orderRefunds)
    .values({ ...refund, providerRefundId, status: "succeeded", attempts: 0 })
    .onConflictDoNothing();
}

export function findRefundsQuery(db: Database, orderId: string) {
  return db
    .select()
    .from(orderRefunds)
    .where(eq(orderRefunds.orderId, orderId))
    .orderBy(asc(orderRefunds.createdAt), asc(orderRefunds.id));
}

export function findRefund(db: Database, id: string): Promise<OrderRefundRow | undefined> {
  return db.select().from(orderRefunds).where(eq(orderRefunds.id, id)).get();
}

export function findDueRefunds(db: Database, now: number, limit: number): Promise<OrderRefundRow[]> {
  return db
    .select()
    .from(orderRefunds)
    .where(and(eq(orderRefunds.status, "pending"), lte(orderRefunds.nextAttemptAt, now)))
    .orderBy(asc(orderRefunds.nextAttemptAt))
    .limit(limit)
    .all();
}

export async function markRefundSucceeded(
  db: Database,
  id: string,
  providerRefundId: string,
  now: number,
): Promise<void> {
  requireProviderRefundId(providerRefundId);
  await db
    .update(orderRefunds)
    .set({ status: "succeeded", providerRefundId, lastError: null, updatedAt: now })
    .where(and(eq(orderRefunds.id, id), eq(orderRefunds.status, "pending")))
    .run();
}

/**
 * The provider accepted the refund but it is `pending`: its id is kept, the row stays pending until
 * the provider's event (`charge.refund.updated` succeeded / `refund.failed`), and it is not re-sent.
 */
export async function markRefundSent(
  db: Database,
  id: string,
  providerRefundId: string,
  nextAttemptAt: number,
  now: number,
): Promise<void> {
  await db
    .update(orderRefunds)
    .set({ providerRefundId, lastError: null, nextAttemptAt, updatedAt: now })
    .where(and(eq(orderRefunds.id, id), eq(orderRefunds.status, "pending")))
    .run();
}

export function findRefundByProviderRefundId(
  db: Database,
  providerRefundId: string,
): Promise<OrderRefundRow | undefined> {
  return db.select().from(orderRefunds).where(eq(orderRefunds.providerRefundId, providerRefundId)).get();
}

/** The provider's event says the pending refund succeeded. */
export async function confirmRefund(db: Database, providerRefundId: string, now: number): Promise<void> {
  await db
    .update(orderRefunds)
    .set({ status: "succeeded", updatedAt: now })
    .where(
      and(
        eq(orderRefunds.providerRefundId, requireProviderRefundId(providerRefundId)),
        eq(orderRefunds.status, "pending"),
      ),
    )
    .run();
}

/**
 * The provider's refund failed: the row is owed again, under a NEW provider key (the old key would
 * replay the failed refund), and due now. Compare-and-set on the failed refund's id: a second event
 * about the same refund changes nothing. True when this call made the change.
 */
export async function reopenFailedRefund(
  db: Database,
  row: OrderRefundRow,
  failedRefundId: string,
  newKey: string,
  now: number,
): Promise<boolean> {
  const changed = await db
    .update(orderRefunds)
    .set({
      status: "pending",
      providerKey: newKey,
      providerRefundId: null,
      lastError: `refund ${failedRefundId} failed at the provider`,
      nextAttemptAt: now,
      updatedAt: now,
    })
    .where(and(eq(orderRefunds.id, row.id), eq(orderRefunds.providerRefundId, failedRefundId)))
    .returning({ id: orderRefunds.id });
  return changed.length === 1;
}

export async function markRefundFailed(
  db: Database,
  id: string,
  error: string,
  nextAttemptAt: number,
  now: number,
): Promise<void> {
  await db
    .update(orderRefunds)
    .set({ attempts: sql`${orderRefunds.attempts} + 1`, lastError: error.slice(0, 500), nextAttemptAt, updatedAt: now })
    .where(and(eq(orderRefunds.id, id), eq(orderRefunds.status, "pending")))
    .run();
}
