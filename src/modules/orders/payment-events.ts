/**
 * What a verified, first-seen payment webhook does to an order (called by the payments module's
 * webhook flow, which already deduplicates by event id). Each kind maps to one state-machine
 * move; a move that already happened is a no-op (webhooks arrive late and out of order), and an
 * event about a payment no order knows is ignored (e.g. the charge of a compensated checkout,
 * whose refund the checkout already issued).
 */
import type { CronJob } from "../../cron";
import { createDatabase, type Database } from "../../db/client";
import type { OrderStatus } from "../../db/schema";
import type { Env } from "../../env";
import type { PaymentEvent } from "../payments/payment-event";
import { canTransition } from "./order-state";
import { findOrderByPaymentId } from "./orders.repository";
import { transitionOrder } from "./orders.service";
import { applyExpiredWebhookLeases } from "../payments/payments.service";

const TARGET: Partial<Record<PaymentEvent["kind"], OrderStatus>> = {
  "payment.succeeded": "paid",
  "payment.failed": "cancelled",
  "payment.refunded": "refunded",
};

export async function applyPaymentEvent(db: Database, event: PaymentEvent, stock: Pick<Env, "STOCK_LOCK">): Promise<void> {
  const to = TARGET[event.kind];
  if (!to || !event.paymentId) return;
  const order = await findOrderByPaymentId(db, event.paymentId);
  if (!order || order.status === to) return;
  // a partial refund leaves the order as it is; only a full refund ends it
  if (to === "refunded" && event.amount !== null && event.amount < order.total) return;
  // late or out-of-order events (e.g. "succeeded" after a cancel) change nothing
  if (!canTransition(order.status, to)) return;
  await transitionOrder(
    // the money already moved at the provider: the order records it and never calls the provider back
    { db, env: stock },
    { orderId: order.id, to, actor: `system:payments:${event.provider}`, reason: `${event.type} (${event.id})`, idempotent: true, refundedAtProvider: true },
  );
}

/** Events whose request died between leasing and applying them are applied from their stored copy (I5). */
export const applyExpiredWebhookLeasesJob: CronJob = {
  name: "apply-expired-webhook-leases",
  run: async (env: Env, now: number) => {
    await applyExpiredWebhookLeases(createDatabase(env.DB), (db, event) => applyPaymentEvent(db, event, env), now);
  },
};
