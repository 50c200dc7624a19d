/**
 * Late, repeated and early payment events, judged from the orders' staff view and the open payment
 * mismatches: W1 no order cancelled by one, W2 no refund row from one, W3 a failure after success
 * left a `failed_after_success` mismatch, W4 each event took effect once. Details: docs/checkout.md, "The HTTP chaos run", the verdict.
 */
import type { Journal } from "../journal";
import type { AdminOrderView, Mismatch } from "../shapes";

export interface WebhookFigures {
  delivered: number;
  /** Acknowledged events about charges no order kept yet when they were sent. */
  early: number;
  duplicates: number;
  failedAfterSuccess: number;
  flagged: number;
}

/** The run's event ids (actors/webhooks.ts): a reason naming one was written by a run's event. */
const RUN_EVENT = /\(evt_chaos_\d+_\d+\)/;

export function webhookViolations(
  details: Map<string, AdminOrderView>,
  mismatches: Mismatch[],
  journal: Journal,
): { violations: string[]; figures: WebhookFigures } {
  const violations: string[] = [];
  const acknowledged = journal.webhooks.filter((delivery) => delivery.status === 200);
  const flagged = new Set(
    mismatches
      .filter((mismatch) => mismatch.kind === "failed_after_success" && mismatch.status === "open")
      .map((mismatch) => mismatch.paymentId),
  );
  const figures: WebhookFigures = {
    delivered: acknowledged.length,
    early: acknowledged.filter((delivery) => !delivery.orderId).length,
    duplicates: acknowledged.filter((delivery) => delivery.duplicate).length,
    failedAfterSuccess: 0,
    flagged: flagged.size,
  };

  for (const detail of details.values()) {
    for (const move of detail.timeline.filter(
      (entry) =>
        entry.to === "cancelled" && (entry.actor.startsWith("system:payments") || RUN_EVENT.test(entry.reason ?? "")),
    )) {
      violations.push(
        `W1 order ${detail.id} (paid) was cancelled by a payment event at ${move.at}: ${move.actor}, ${move.reason}`,
      );
    }
    for (const refund of detail.refunds) {
      if (RUN_EVENT.test(refund.reason ?? ""))
        violations.push(
          `W2 order ${detail.id}: refund ${refund.id} of ${refund.amount.amount} (${refund.status}) was ` +
            `written by a payment event: ${refund.reason}`,
        );
      if (refund.status === "succeeded" && !refund.providerRefundId)
        violations.push(
          `W2 order ${detail.id}: refund ${refund.id} of ${refund.amount.amount} is succeeded without the provider's refund id`,
        );
    }
  }

  const paidAt = new Map([...journal.orders.values()].map((order) => [order.id, order.written.end]));
  const failures = acknowledged.filter(
    (delivery) =>
      delivery.type === "payment_intent.payment_failed" &&
      delivery.orderId &&
      delivery.window.start > (paidAt.get(delivery.orderId) ?? Infinity),
  );
  for (const paymentId of new Set(failures.map((delivery) => delivery.paymentId))) {
    const orderId = failures.find((delivery) => delivery.paymentId === paymentId)?.orderId as string;
    const detail = details.get(orderId);
    if (!detail || detail.timeline.some((entry) => entry.to === "cancelled")) continue;
    figures.failedAfterSuccess += 1;
    if (!flagged.has(paymentId))
      violations.push(
        `W3 a failure for payment ${paymentId} of order ${orderId} (${detail.status}) arrived after its ` +
          `success, and no open failed_after_success mismatch names it`,
      );
  }

  const applied = new Map<string, number>();
  for (const delivery of acknowledged.filter((each) => each.duplicate === false))
    applied.set(delivery.eventId, (applied.get(delivery.eventId) ?? 0) + 1);
  for (const [eventId, times] of applied)
    if (times > 1)
      violations.push(`W4 event ${eventId} was applied ${times} times (answered duplicate: false each time)`);
  return { violations, figures };
}
