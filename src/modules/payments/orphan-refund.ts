/**
 * The refund of a charge no order keeps — one request, however many paths send it (the checkout's
 * compensation, `payment_intent.succeeded` for an ended checkout, reconciliation, `refund.failed`).
 * Every path first looks up the refunds the provider holds for the charge, sends only what they do not
 * cover, and derives the key from them, so whoever sends first refunds, once. docs/payments.md, "The
 * refund of a charge no order keeps".
 */
import { eq, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { checkouts, orders } from "../../db/schema";
import { configOf, type Env } from "../../env";
import { log } from "../../platform/observability/log";
import { flagMismatch } from "./mismatches";
import type { PaymentEvent } from "./payment-event";
import { fullRefundKey, keyAfterFailedRefund, type PaymentProvider, type RefundResult } from "./payment-provider";
import { paymentProviderFor } from "./payments.service";

export interface OrphanCharge {
  paymentId: string;
  /** Names the refund's key; the payment id when the charge carries no checkout. */
  checkoutId: string;
  amount: number;
}

/**
 * Sends what the provider's refunds of the charge do not cover yet; null when nothing is left. Throws
 * when the provider fails. A charge only authorised (manual capture) took no money: it is voided
 * instead (a refund of it is refused), under the key named after its checkout; one voided or
 * cancelled already needs nothing.
 */
export async function refundOrphanCharge(
  payments: PaymentProvider,
  charge: OrphanCharge,
): Promise<RefundResult | null> {
  const state = await payments.retrieveCharge?.(charge.paymentId);
  // no money was taken: an authorisation is voided; one already voided (a compensation retried after
  // it voided, a late event) or cancelled has nothing left to give back
  if (state?.status === "canceled" || state?.status === "failed") return null;
  if (state?.uncaptured) {
    await payments.voidAuthorization(charge.paymentId, `${charge.checkoutId}:void`);
    return null;
  }
  const held = (await payments.listRefunds?.(charge.paymentId)) ?? [];
  const covered = held.filter((refund) => refund.status !== "failed").reduce((sum, refund) => sum + refund.amount, 0);
  const left = charge.amount - covered;
  if (left <= 0) return null;
  const failed = held.filter((refund) => refund.status === "failed").at(-1);
  const idempotencyKey = failed
    ? keyAfterFailedRefund(fullRefundKey(charge.checkoutId), failed.refundId)
    : fullRefundKey(charge.checkoutId);
  return payments.refund({ paymentId: charge.paymentId, idempotencyKey, amount: left });
}

/** The checkout that ended without an order for this charge, when it did (its amount names the refund). */
async function endedCheckoutOf(db: Database, paymentId: string, checkoutId: string | null | undefined) {
  const byCheckout = checkoutId ? eq(checkouts.id, checkoutId) : undefined;
  const checkout = await db
    .select({
      id: checkouts.id,
      state: checkouts.state,
      amount: checkouts.amount,
      currency: checkouts.currency,
      paymentId: checkouts.paymentId,
    })
    .from(checkouts)
    .where(or(byCheckout, eq(checkouts.paymentId, paymentId)))
    .get();
  if (!checkout || checkout.state !== "compensated") return null;
  if (checkout.paymentId && checkout.paymentId !== paymentId) return null; // another charge of that checkout
  // the last word before money moves: an order that keeps this charge
  if (await db.select({ id: orders.id }).from(orders).where(eq(orders.paymentId, paymentId)).get()) return null;
  return checkout;
}

export async function refundChargeOfEndedCheckout(db: Database, event: PaymentEvent, env: Env): Promise<void> {
  if (event.kind !== "payment.succeeded" || !event.paymentId) return;
  const checkout = await endedCheckoutOf(db, event.paymentId, event.checkoutId);
  if (!checkout) return;
  try {
    await refundOrphanCharge(paymentProviderFor(env, configOf(env)), {
      paymentId: event.paymentId,
      checkoutId: checkout.id,
      amount: checkout.amount,
    });
  } catch (error) {
    log.warn("the refund of an ended checkout's charge failed; reconciliation retries it", {
      paymentId: event.paymentId,
      checkoutId: checkout.id,
      error: String(error).slice(0, 200),
    });
  }
}

/** `refund.failed` for the refund of an ended checkout's charge: the charge is refunded again under a new key, and flagged. */
export async function refundAgainAfterFailure(db: Database, event: PaymentEvent, env: Env): Promise<void> {
  if (event.kind !== "refund.failed" || !event.paymentId || !event.refundId) return;
  const checkout = await endedCheckoutOf(db, event.paymentId, event.checkoutId);
  if (!checkout) return;
  const payments = paymentProviderFor(env, configOf(env));
  let action: string;
  try {
    const sent = await refundOrphanCharge(payments, {
      paymentId: event.paymentId,
      checkoutId: checkout.id,
      amount: checkout.amount,
    });
    action = sent ? "refunded again under a new key" : "already covered by a refund the provider holds";
  } catch (error) {
    action = `refund failed again, retried by reconciliation: ${String(error).slice(0, 200)}`;
  }
  await flagMismatch(
    db,
    {
      kind: "refund_failed",
      provider: event.provider,
      paymentId: event.paymentId,
      checkoutId: checkout.id,
      orderId: null,
      amount: checkout.amount,
      currency: checkout.currency,
      action,
      resolved: false,
      detail: `${event.type} (${event.id}): refund ${event.refundId} of checkout ${checkout.id}'s charge failed at the provider`,
    },
    Date.now(),
    { actorId: `system:payments:${event.provider}`, origin: { requestId: `webhook:${event.id}`, ip: null } },
  );
  log.warn("the refund of an ended checkout's charge failed at the provider; sent again under a new key", {
    paymentId: event.paymentId,
    checkoutId: checkout.id,
    providerRefundId: event.refundId,
  });
}
