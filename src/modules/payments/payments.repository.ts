/** Payments tables (drizzle only): the test provider's charges and refunds, processed webhook events. */
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, notExists, notInArray, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { paymentWebhookEvents, testProviderCharges, testProviderRefunds } from "../../db/schema";

export type PaymentRow = typeof testProviderCharges.$inferSelect;
export type NewPaymentRow = typeof testProviderCharges.$inferInsert;
export type RefundRow = typeof testProviderRefunds.$inferSelect;

/** First writer wins: a concurrent duplicate inserts nothing and reads the winner's row (one round trip). */
export async function insertPaymentOnce(
  db: Database,
  row: NewPaymentRow,
): Promise<{ row: PaymentRow; inserted: boolean }> {
  const [inserted, [stored]] = await db.batch([
    db.insert(testProviderCharges).values(row).onConflictDoNothing().returning({ id: testProviderCharges.id }),
    db
      .select()
      .from(testProviderCharges)
      .where(
        and(eq(testProviderCharges.provider, row.provider), eq(testProviderCharges.idempotencyKey, row.idempotencyKey)),
      ),
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
    .update(testProviderCharges)
    .set({ status: outcome.status, declineCode: outcome.status === "declined" ? outcome.declineCode : null })
    .where(and(eq(testProviderCharges.id, id), eq(testProviderCharges.status, "requires_action")))
    .returning({ id: testProviderCharges.id });
  return changed.length === 1;
}

/** An authorised payment is captured, once: true when this call captured it. */
export async function capturePayment(
  db: Database,
  id: string,
  capture: { amount: number; key: string; at: number },
): Promise<boolean> {
  const done = await db
    .update(testProviderCharges)
    .set({ status: "succeeded", amountCaptured: capture.amount, captureKey: capture.key, capturedAt: capture.at })
    .where(and(eq(testProviderCharges.id, id), eq(testProviderCharges.status, "authorized")))
    .returning({ id: testProviderCharges.id });
  return done.length === 1;
}

/** An authorised payment's hold is released (a void, or its expiry at `at`), once. */
export async function voidPayment(db: Database, id: string, at: number): Promise<void> {
  await db
    .update(testProviderCharges)
    .set({ status: "voided", voidedAt: at })
    .where(and(eq(testProviderCharges.id, id), eq(testProviderCharges.status, "authorized")))
    .run();
}

/** Counts one more failed refund of a `pm_card_refundFails` charge; true while it must still fail. */
export async function failRefundOnce(db: Database, paymentId: string, failures: number): Promise<boolean> {
  const failed = await db
    .update(testProviderCharges)
    .set({ refundFailures: sql`${testProviderCharges.refundFailures} + 1` })
    .where(
      and(
        eq(testProviderCharges.id, paymentId),
        eq(testProviderCharges.paymentMethod, "pm_card_refundFails"),
        lt(testProviderCharges.refundFailures, failures),
      ),
    )
    .returning({ id: testProviderCharges.id });
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
    ? or(
        lt(testProviderCharges.createdAt, after.t),
        and(eq(testProviderCharges.createdAt, after.t), lt(testProviderCharges.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(testProviderCharges)
    .where(
      and(
        eq(testProviderCharges.provider, provider),
        gte(testProviderCharges.createdAt, since),
        lt(testProviderCharges.createdAt, until),
        isNotNull(testProviderCharges.checkoutId),
        beforeCursor,
      ),
    )
    .orderBy(desc(testProviderCharges.createdAt), desc(testProviderCharges.id))
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
    ? or(
        gt(testProviderCharges.createdAt, after.t),
        and(eq(testProviderCharges.createdAt, after.t), gt(testProviderCharges.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(testProviderCharges)
    .where(where)
    .orderBy(asc(testProviderCharges.createdAt), asc(testProviderCharges.id))
    .limit(limit)
    .all();
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
  const at = move === "capture" ? testProviderCharges.capturedAt : testProviderCharges.voidedAt;
  const entryId = sql`${testProviderCharges.id} || ${`:${move}`}`;
  const where = after ? or(gt(at, after.t), and(eq(at, after.t), sql`${entryId} > ${after.id}`)) : isNotNull(at);
  return db
    .select()
    .from(testProviderCharges)
    .where(and(isNotNull(at), where))
    .orderBy(asc(at), asc(entryId))
    .limit(limit)
    .all();
}

export function refundsAfter(db: Database, after: { t: number; id: string } | undefined, limit: number) {
  const where = after
    ? or(
        gt(testProviderRefunds.createdAt, after.t),
        and(eq(testProviderRefunds.createdAt, after.t), gt(testProviderRefunds.id, after.id)),
      )
    : undefined;
  return db
    .select({
      refund: testProviderRefunds,
      payment: { orderId: testProviderCharges.orderId, currency: testProviderCharges.currency },
    })
    .from(testProviderRefunds)
    .innerJoin(testProviderCharges, eq(testProviderCharges.id, testProviderRefunds.paymentId))
    .where(where)
    .orderBy(asc(testProviderRefunds.createdAt), asc(testProviderRefunds.id))
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
    .from(testProviderCharges)
    .where(and(eq(testProviderCharges.provider, provider), eq(testProviderCharges.idempotencyKey, idempotencyKey)));
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
  const live = notInArray(testProviderCharges.status, ["declined", "canceled", "voided"]);
  const [row] = await db
    .select()
    .from(testProviderCharges)
    .where(and(eq(testProviderCharges.provider, provider), eq(testProviderCharges.checkoutId, checkoutId), live))
    .orderBy(desc(testProviderCharges.createdAt))
    .limit(1);
  return row;
}

export async function findPayment(db: Database, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(testProviderCharges).where(eq(testProviderCharges.id, id));
  return row;
}

export function refundsOfPayment(db: Database, paymentId: string): Promise<RefundRow[]> {
  return db
    .select()
    .from(testProviderRefunds)
    .where(eq(testProviderRefunds.paymentId, paymentId))
    .orderBy(asc(testProviderRefunds.createdAt))
    .all();
}

/** A pending refund of the test provider fails: it is marked failed and its amount is back on the charge, once. */
export async function failPendingRefund(db: Database, refundId: string): Promise<boolean> {
  const [failed] = await db
    .update(testProviderRefunds)
    .set({ status: "failed" })
    .where(and(eq(testProviderRefunds.id, refundId), eq(testProviderRefunds.status, "pending")))
    .returning();
  if (!failed) return false;
  await db
    .update(testProviderCharges)
    .set({ amountRefunded: sql`${testProviderCharges.amountRefunded} - ${failed.amount}`, status: "succeeded" })
    .where(eq(testProviderCharges.id, failed.paymentId))
    .run();
  return true;
}

/**
 * The test provider forgets a key after 24 h, as Stripe does: the old charge or refund stays in the
 * ledger but no longer claims the key, so a later request under it is a new one.
 */
export async function forgetPaymentKey(db: Database, id: string): Promise<void> {
  await db
    .update(testProviderCharges)
    .set({
      idempotencyKey: sql`'forgotten:' || ${testProviderCharges.id} || ':' || ${testProviderCharges.idempotencyKey}`,
    })
    .where(eq(testProviderCharges.id, id))
    .run();
}

export async function forgetRefundKey(db: Database, id: string): Promise<void> {
  await db
    .update(testProviderRefunds)
    .set({
      idempotencyKey: sql`'forgotten:' || ${testProviderRefunds.id} || ':' || ${testProviderRefunds.idempotencyKey}`,
    })
    .where(eq(testProviderRefunds.id, id))
    .run();
}

/** A pending refund of the test provider goes through at the bank (Stripe: `charge.refund.updated` succeeded). */
export async function succeedPendingRefund(db: Database, refundId: string): Promise<boolean> {
  const done = await db
    .update(testProviderRefunds)
    .set({ status: "succeeded" })
    .where(and(eq(testProviderRefunds.id, refundId), eq(testProviderRefunds.status, "pending")))
    .returning({ id: testProviderRefunds.id });
  return done.length === 1;
}

export async function findRefundByKey(db: Database, idempotencyKey: string): Promise<RefundRow | undefined> {
  const [row] = await db
    .select()
    .from(testProviderRefunds)
    .where(eq(testProviderRefunds.idempotencyKey, idempotencyKey));
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
  const captured = sql`coalesce(${testProviderCharges.amountCaptured}, ${testProviderCharges.amount})`;
  const fits = sql`${testProviderCharges.amountRefunded} + ${refund.amount} <= ${captured}`;
  const keyIsNew = notExists(
    db
      .select({ one: sql`1` })
      .from(testProviderRefunds)
      .where(eq(testProviderRefunds.idempotencyKey, refund.idempotencyKey)),
  );
  await db.batch([
    db
      .update(testProviderCharges)
      .set({
        amountRefunded: sql`${testProviderCharges.amountRefunded} + ${refund.amount}`,
        status: sql`CASE WHEN ${testProviderCharges.amountRefunded} + ${refund.amount} = ${captured}
          THEN 'refunded' ELSE ${testProviderCharges.status} END`,
      })
      .where(
        and(
          eq(testProviderCharges.id, refund.paymentId),
          inArray(testProviderCharges.status, ["succeeded", "refunded"]),
          fits,
          keyIsNew,
        ),
      ),
    db.insert(testProviderRefunds).select(
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
