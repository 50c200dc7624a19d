/**
 * `payment_intent.succeeded` for a charge no order keeps (issue 22, defect 1): refunded at once
 * when its checkout already ENDED without an order (`compensated`: it gave up on an unknown outcome,
 * or was declined/refused after the provider charged anyway) — with the compensation's own request
 * (key `<checkoutId>:refund`, the checkout's amount), so whoever sends it first refunds, once. Never
 * while the checkout is live (the sweep owns it) or completed (its order keeps the charge). A refund
 * that fails is left to reconciliation, which sees the same orphan within 15 minutes.
 */
import { eq, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { checkouts, orders } from "../../db/schema";
import { configOf, type Env } from "../../env";
import { log } from "../../platform/observability/log";
import type { PaymentEvent } from "./payment-event";
import { fullRefundKey } from "./payment-provider";
import { paymentProviderFor } from "./payments.service";

export async function refundChargeOfEndedCheckout(db: Database, event: PaymentEvent, env: Env): Promise<void> {
  if (event.kind !== "payment.succeeded" || !event.paymentId) return;
  const byCheckout = event.checkoutId ? eq(checkouts.id, event.checkoutId) : undefined;
  const checkout = await db.select({ id: checkouts.id, state: checkouts.state, amount: checkouts.amount, paymentId: checkouts.paymentId }).from(checkouts).where(or(byCheckout, eq(checkouts.paymentId, event.paymentId))).get();
  if (!checkout || checkout.state !== "compensated") return;
  if (checkout.paymentId && checkout.paymentId !== event.paymentId) return; // another charge of that checkout
  // the last word before money moves: an order that keeps this charge
  if (await db.select({ id: orders.id }).from(orders).where(eq(orders.paymentId, event.paymentId)).get()) return;
  try {
    await paymentProviderFor(env, configOf(env)).refund({ paymentId: event.paymentId, idempotencyKey: fullRefundKey(checkout.id), amount: checkout.amount });
  } catch (error) {
    log.warn("the refund of an ended checkout's charge failed; reconciliation retries it", { paymentId: event.paymentId, checkoutId: checkout.id, error: String(error).slice(0, 200) });
  }
}
