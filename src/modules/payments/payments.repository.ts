/** Payments tables (drizzle only): the test provider's charges and refunds, processed webhook events. */
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, notExists, notInArray, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { paymentRefunds, payments, paymentWebhookEvents } from "../../db/schema";

export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;
export type RefundRow = typeof paymentRefunds.$inferSelect;

/** First writer wins: a concurrent duplicate inserts nothing and reads the winner's row (one round trip). */
export async function insertPaymentOnce(
  db: Database,
  row: NewPaymentRow,
): Promise<{ row: PaymentRow; inserted: boolean }> {
  const [inserted, [stored]] = await db.batch([
    db.insert(payments).values(row).onConflictDoNothing().returning({ id: payments.id }),
    db
      .select()
      .from(payments)
      .where(and(eq(payments.provider, row.provider), eq(payments.idempotencyKey, row.idempotencyKey))),
  ]);
  if (!stored) throw new Error("payment row vanished after insert");
  return { row: stored, inserted: inserted.length === 1 };
}

/** A charge that waits for the buyer is decided, once: true when this call decided it. */
export async function settleWaitingPayment(
  db: Database,
  id: string,
  outcome: { status: "succeeded" | "authorized" | "canceled" } | { status: "declined"; declineCode: string },
): Promise<boolean> {
  const changed = await db
    .update(payments)
    .set({ status: outcome.status, declineCode: outcome.status === "declined" ? outcome.declineCode : null })
    .where(and(eq(payments.id, id), eq(payments.status, "requires_action")))
    .returning({ id: payments.id });
  return changed.length === 1;
}

/** An authorised payment is captured, once: true when this call captured it. */
export async function capturePayment(
  db: Database,
  id: string,
  capture: { amount: number; key: string; at: number },
): Promise<boolean> {
  const done = await db
    .update(payments)
    .set({ status: "succeeded", amountCaptured: capture.amount, captureKey: capture.key, capturedAt: capture.at })
    .where(and(eq(payments.id, id), eq(payments.status, "authorized")))
    .returning({ id: payments.id });
  return done.length === 1;
}

/** An authorised payment's hold is released (a void, or its expiry at `at`), once. */
export async function voidPayment(db: Database, id: string, at: number): Promise<void> {
  await db
    .update(payments)
    .set({ status: "voided", voidedAt: at })
    .where(and(eq(payments.id, id), eq(payments.status, "authorized")))
    .run();
}

/** Counts one more failed refund of a `pm_card_refundFails` charge; true while it must still fail. */
export async function failRefundOnce(db: Database, paymentId: string, failures: number): Promise<boolean> {
  const failed = await db
    .update(payments)
    .set({ refundFailures: sql`${payments.refundFailures} + 1` })
    .where(
      and(
        eq(payments.id, paymentId),
        eq(payments.paymentMethod, "pm_card_refundFails"),
        lt(payments.refundFailures, failures),
      ),
    )
    .returning({ id: payments.id });
  return failed.length === 1;
}

/** One page of a provider's charges created in [since, until), newest first, after the keyset (created_at, id). */
export function listPaymentsPage(
  db: Database,
  provider: string,
  query: { since: number; until: number; limit: number; after?: { t: number; id: string } | undefined },
): Promise<PaymentRow[]> {
  const { since, until, limit, after } = query;
  const beforeCursor = after
    ? or(lt(payments.createdAt, after.t), and(eq(payments.createdAt, after.t), lt(payments.id, after.id)))
    : undefined;
  return db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.provider, provider),
        gte(payments.createdAt, since),
        lt(payments.createdAt, until),
        isNotNull(payments.checkoutId),
        beforeCursor,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit)
    .all();
}

/** One page of charges or refunds after the keyset cursor (created_at, id). */
export function paymentsAfter(
  db: Database,
  after: { t: number; id: string } | undefined,
  limit: number,
): Promise<PaymentRow[]> {
  const where = after
    ? or(gt(payments.createdAt, after.t), and(eq(payments.createdAt, after.t), gt(payments.id, after.id)))
    : undefined;
  return db.select().from(payments).where(where).orderBy(asc(payments.createdAt), asc(payments.id)).limit(limit).all();
}

/**
 * One page of captures or voids (manual capture) after the keyset cursor: each is a ledger entry of
 * its own, at the moment it happened, named `<payment id>:capture` / `:void`.
 */
export function paymentMovesAfter(
  db: Database,
  move: "capture" | "void",
  after: { t: number; id: string } | undefined,
  limit: number,
): Promise<PaymentRow[]> {
  const at = move === "capture" ? payments.capturedAt : payments.voidedAt;
  const entryId = sql`${payments.id} || ${`:${move}`}`;
  const where = after ? or(gt(at, after.t), and(eq(at, after.t), sql`${entryId} > ${after.id}`)) : isNotNull(at);
  return db
    .select()
    .from(payments)
    .where(and(isNotNull(at), where))
    .orderBy(asc(at), asc(entryId))
    .limit(limit)
    .all();
}

export function refundsAfter(db: Database, after: { t: number; id: string } | undefined, limit: number) {
  const where = after
    ? or(
        gt(paymentRefunds.createdAt, after.t),
        and(eq(paymentRefunds.createdAt, after.t), gt(paymentRefunds.id, after.id)),
      )
    : undefined;
  return db
    .select({ refund: paymentRefunds, payment: { orderId: payments.orderId, currency: payments.currency } })
    .from(paymentRefunds)
    .innerJoin(payments, eq(payments.id, paymentRefunds.paymentId))
    .where(where)
    .orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id))
    .limit(limit)
    .all();
}

export async function findPaymentByKey(
  db: Database,
  provider: string,
  idempotencyKey: string,
): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.provider, provider), eq(payments.idempotencyKey, idempotencyKey)));
  return row;
}

/**
 * The test provider's charge for a checkout (its ledger, looked up by Motor's checkout id): one that
 * holds or took money, or still may — not a declined, cancelled or voided one (a checkout whose
 * authentication failed pays again with another card: a charge per attempt) — the newest if several.
 */
export async function findPaymentByCheckout(
  db: Database,
  provider: string,
  checkoutId: string,
): Promise<PaymentRow | undefined> {
  const live = notInArray(payments.status, ["declined", "canceled", "voided"]);
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.provider, provider), eq(payments.checkoutId, checkoutId), live))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return row;
}

export async function findPayment(db: Database, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row;
}

export function refundsOfPayment(db: Database, paymentId: string): Promise<RefundRow[]> {
  return db
    .select()
    .from(paymentRefunds)
    .where(eq(paymentRefunds.paymentId, paymentId))
    .orderBy(asc(paymentRefunds.createdAt))
    .all();
}

/** A pending refund of the test provider fails: it is marked failed and its amount is back on the charge, once. */
export async function failPendingRefund(db: Database, refundId: string): Promise<boolean> {
  const [failed] = await db
    .update(paymentRefunds)
    .set({ status: "failed" })
    .where(and(eq(paymentRefunds.id, refundId), eq(paymentRefunds.status, "pending")))
    .returning();
  if (!failed) return false;
  await db
    .update(payments)
    .set({ amountRefunded: sql`${payments.amountRefunded} - ${failed.amount}`, status: "succeeded" })
    .where(eq(payments.id, failed.paymentId))
    .run();
  return true;
}

/**
 * The test provider forgets a key after 24 h, as Stripe does: the old charge or refund stays in the
 * ledger but no longer claims the key, so a later request under it is a new one.
 */
export async function forgetPaymentKey(db: Database, id: string): Promise<void> {
  await db
    .update(payments)
    .set({ idempotencyKey: sql`'forgotten:' || ${payments.id} || ':' || ${payments.idempotencyKey}` })
    .where(eq(payments.id, id))
    .run();
}

export async function forgetRefundKey(db: Database, id: string): Promise<void> {
  await db
    .update(paymentRefunds)
    .set({ idempotencyKey: sql`'forgotten:' || ${paymentRefunds.id} || ':' || ${paymentRefunds.idempotencyKey}` })
    .where(eq(paymentRefunds.id, id))
    .run();
}

/** A pending refund of the test provider goes through at the bank (Stripe: `charge.refund.updated` succeeded). */
export async function succeedPendingRefund(db: Database, refundId: string): Promise<boolean> {
  const done = await db
    .update(paymentRefunds)
    .set({ status: "succeeded" })
    .where(and(eq(paymentRefunds.id, refundId), eq(paymentRefunds.status, "pending")))
    .returning({ id: paymentRefunds.id });
  return done.length === 1;
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
export async function recordRefund(
  db: Database,
  refund: {
    id: string;
    paymentId: string;
    idempotencyKey: string;
    amount: number;
    createdAt: number;
    status?: "succeeded" | "pending";
  },
): Promise<void> {
  // bounded by what was taken: all of a charge, or what a manual one's capture took
  const captured = sql`coalesce(${payments.amountCaptured}, ${payments.amount})`;
  const fits = sql`${payments.amountRefunded} + ${refund.amount} <= ${captured}`;
  const keyIsNew = notExists(
    db
      .select({ one: sql`1` })
      .from(paymentRefunds)
      .where(eq(paymentRefunds.idempotencyKey, refund.idempotencyKey)),
  );
  await db.batch([
    db
      .update(payments)
      .set({
        amountRefunded: sql`${payments.amountRefunded} + ${refund.amount}`,
        status: sql`CASE WHEN ${payments.amountRefunded} + ${refund.amount} = ${captured} THEN 'refunded' ELSE ${payments.status} END`,
      })
      .where(
        and(eq(payments.id, refund.paymentId), inArray(payments.status, ["succeeded", "refunded"]), fits, keyIsNew),
      ),
    db.insert(paymentRefunds).select(
      sql`SELECT ${refund.id}, ${refund.paymentId}, ${refund.idempotencyKey},
          ${refund.amount}, ${refund.createdAt}, ${refund.status ?? "succeeded"} WHERE changes() = 1`,
    ),
  ]);
}

/**
 * Leases an inbound event for one attempt: a new event, or one whose earlier lease expired (that
 * attempt died between claiming and applying). False for an applied event or a live lease. The
 * verified event is stored with the lease so that an expired lease can be re-applied without the
 * provider's redelivery.
 */
export async function leaseWebhookEvent(
  db: Database,
  event: { provider: string; id: string; type: string; payload: Record<string, unknown> },
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const leaseUntil = now + leaseMs;
  const leased = await db
    .insert(paymentWebhookEvents)
    .values({
      provider: event.provider,
      eventId: event.id,
      type: event.type,
      receivedAt: now,
      status: "leased",
      leaseUntil,
      payload: event.payload,
    })
    .onConflictDoUpdate({
      target: [paymentWebhookEvents.provider, paymentWebhookEvents.eventId],
      set: { leaseUntil },
      setWhere: and(eq(paymentWebhookEvents.status, "leased"), lt(paymentWebhookEvents.leaseUntil, now)),
    })
    .returning({ eventId: paymentWebhookEvents.eventId });
  return leased.length === 1;
}

export async function markWebhookApplied(db: Database, provider: string, eventId: string): Promise<void> {
  await db
    .update(paymentWebhookEvents)
    .set({ status: "applied", leaseUntil: null })
    .where(and(eq(paymentWebhookEvents.provider, provider), eq(paymentWebhookEvents.eventId, eventId)));
}

/** Events whose lease expired before they were applied (their attempt died): the sweep applies them. */
export function findExpiredLeases(db: Database, now: number, limit: number) {
  return db
    .select()
    .from(paymentWebhookEvents)
    .where(and(eq(paymentWebhookEvents.status, "leased"), lt(paymentWebhookEvents.leaseUntil, now)))
    .orderBy(asc(paymentWebhookEvents.leaseUntil))
    .limit(limit)
    .all();
}
