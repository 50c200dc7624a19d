/** Payments tables (drizzle only): the test provider's charges and refunds, processed webhook events. */
import { and, eq, ne, notExists, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { paymentRefunds, payments, paymentWebhookEvents } from "../../db/schema";

export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;
export type RefundRow = typeof paymentRefunds.$inferSelect;

/** First writer wins: a concurrent duplicate inserts nothing and reads the winner's row. */
export async function insertPaymentOnce(db: Database, row: NewPaymentRow): Promise<PaymentRow> {
  await db.insert(payments).values(row).onConflictDoNothing();
  const stored = await findPaymentByKey(db, row.provider, row.idempotencyKey);
  if (!stored) throw new Error("payment row vanished after insert");
  return stored;
}

export async function findPaymentByKey(db: Database, provider: string, idempotencyKey: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(and(eq(payments.provider, provider), eq(payments.idempotencyKey, idempotencyKey)));
  return row;
}

export async function findPayment(db: Database, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

export async function findRefundByKey(db: Database, idempotencyKey: string): Promise<RefundRow | undefined> {
  const [row] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.idempotencyKey, idempotencyKey));
  return row;
}

/**
 * Records a refund atomically: the payment's refunded total only grows if the refund fits and its
 * key is new, and the refund row is only written if that update happened (`changes()` — D1 runs a
 * batch as one transaction on one connection). Two racing refunds can never exceed the charge.
 */
export async function recordRefund(db: Database, refund: { id: string; paymentId: string; idempotencyKey: string; amount: number; createdAt: number }): Promise<void> {
  const fits = sql`${payments.amountRefunded} + ${refund.amount} <= ${payments.amount}`;
  const keyIsNew = notExists(db.select({ one: sql`1` }).from(paymentRefunds).where(eq(paymentRefunds.idempotencyKey, refund.idempotencyKey)));
  await db.batch([
    db
      .update(payments)
      .set({
        amountRefunded: sql`${payments.amountRefunded} + ${refund.amount}`,
        status: sql`CASE WHEN ${payments.amountRefunded} + ${refund.amount} = ${payments.amount} THEN 'refunded' ELSE ${payments.status} END`,
      })
      .where(and(eq(payments.id, refund.paymentId), ne(payments.status, "declined"), fits, keyIsNew)),
    db
      .insert(paymentRefunds)
      .select(sql`SELECT ${refund.id}, ${refund.paymentId}, ${refund.idempotencyKey}, ${refund.amount}, ${refund.createdAt} WHERE changes() = 1`),
  ]);
}

/** Claims an inbound event; false when it was already processed (a redelivery). */
export async function claimWebhookEvent(db: Database, provider: string, eventId: string, type: string): Promise<boolean> {
  const inserted = await db.insert(paymentWebhookEvents).values({ provider, eventId, type, receivedAt: Date.now() }).onConflictDoNothing().returning({ eventId: paymentWebhookEvents.eventId });
  return inserted.length === 1;
}

/** Un-claims an event whose processing failed, so the provider's redelivery runs it again. */
export async function forgetWebhookEvent(db: Database, provider: string, eventId: string): Promise<void> {
  await db.delete(paymentWebhookEvents).where(and(eq(paymentWebhookEvents.provider, provider), eq(paymentWebhookEvents.eventId, eventId)));
}
