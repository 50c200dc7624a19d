/**
 * What a verified, first-seen payment webhook does to an order: each kind maps to one state-machine
 * move, a move that already happened is a no-op (webhooks arrive late and out of order), and an event
 * about a payment no order knows is ignored. A failure cancels only a pending order; for a paid one it
 * contradicts the provider's success, so it changes nothing and opens a mismatch for a person.
 * docs/payments.md, "Webhooks".
 */
import type { CronJob } from "../../cron";
import { createDatabase, type Database } from "../../db/client";
import type { OrderStatus } from "../../db/schema";
import type { Env } from "../../env";
import type { PaymentEvent } from "../payments/payment-event";
import { flagMismatch } from "../payments/mismatches";
import { applyExpiredWebhookLeases } from "../payments/payments.service";
import { refundChargeOfEndedCheckout } from "../payments/orphan-refund";
import { applyRefundEvent } from "./settle-refund";
import { finishWaitingCheckout } from "../checkout/checkout.webhook";
import { canTransition } from "./order-state";
import { findOrderByPaymentId, type OrderRow } from "./orders.repository";
import { transitionOrder } from "./orders.service";

const TARGET: Partial<Record<PaymentEvent["kind"], OrderStatus>> = {
  "payment.succeeded": "paid",
  "payment.failed": "cancelled",
  "payment.refunded": "refunded",
};

/** The order's payment was captured: it is paid or went on from paid (cancelled is left alone: it already ended). */
const CAPTURED: ReadonlySet<OrderStatus> = new Set([
  "paid",
  "fulfilled",
  "partially_shipped",
  "shipped",
  "delivered",
  "refunded",
]);

export async function applyPaymentEvent(db: Database, event: PaymentEvent, stock: Env): Promise<void> {
  // a refund's own outcome settles its refund row, never the order's status (docs/payments.md)
  if (event.kind === "refund.succeeded" || event.kind === "refund.failed")
    return applyRefundEvent(db, event, stock, Date.now());
  // a payment that waited for the buyer has no order yet: its checkout asks the provider and goes on
  if (await finishWaitingCheckout(db, event, stock)) return;
  const to = TARGET[event.kind];
  if (!to || !event.paymentId) return;
  const order = await findOrderByPaymentId(db, event.paymentId);
  // a charge no order keeps: refunded here only if its checkout already ended (payments/orphan-refund.ts)
  if (!order && event.kind === "payment.succeeded") return refundChargeOfEndedCheckout(db, event, stock);
  if (!order || order.status === to) return;
  if (event.kind === "payment.failed" && CAPTURED.has(order.status)) return flagFailureAfterSuccess(db, event, order);
  // a partial refund leaves the order as it is; only a full refund ends it (of what was taken: a manual capture may take less)
  if (to === "refunded" && event.amount !== null && event.amount < (order.amountCaptured ?? order.total)) return;
  // late or out-of-order events (e.g. "succeeded" after a cancel) change nothing
  if (!canTransition(order.status, to)) return;
  await transitionOrder(
    // the money already moved at the provider (or, for a failure of a pending order, never did):
    // the order records it and never calls the provider back
    { db, env: stock },
    {
      orderId: order.id,
      to,
      actor: `system:payments:${event.provider}`,
      reason: `${event.type} (${event.id})`,
      idempotent: true,
      ...(to === "refunded" ? { refundedAtProvider: { refundId: event.refundId ?? null } } : {}),
    },
  );
}

/** Recorded once per payment (a redelivery or another failure event only refreshes the row); audited once. */
async function flagFailureAfterSuccess(db: Database, event: PaymentEvent, order: OrderRow): Promise<void> {
  await flagMismatch(
    db,
    {
      kind: "failed_after_success",
      provider: event.provider,
      paymentId: order.paymentId ?? (event.paymentId as string),
      checkoutId: order.checkoutId,
      orderId: order.id,
      amount: order.total,
      currency: order.currency,
      action: null,
      resolved: false,
      detail:
        `${event.type} (${event.id}) for a payment whose order is ${order.status}: the order was left as ` +
        `it is; check the charge at the provider`,
    },
    Date.now(),
    { actorId: `system:payments:${event.provider}`, origin: { requestId: `webhook:${event.id}`, ip: null } },
  );
}

/** Events whose request died between leasing and applying them are applied from their stored copy (I5). */
export const applyExpiredWebhookLeasesJob: CronJob = {
  name: "apply-expired-webhook-leases",
  run: async (env: Env, now: number) => {
    await applyExpiredWebhookLeases(createDatabase(env.DB), (db, event) => applyPaymentEvent(db, event, env), now);
  },
};
