/**
 * The test provider's own webhooks: when the buyer decides on the local authentication
 * page, the provider tells Motor as Stripe would — a signed `payment_intent.succeeded` or
 * `payment_intent.payment_failed` — sent through the JOBS queue and received by the same
 * verification, deduplication and handler as any provider's webhook. A test knob picks how it
 * arrives: queued (usually after the browser is back), `before` the browser's redirect, `twice`
 * (one event delivered two times), or `never`.
 */
import { createDatabase } from "../../db/client";
import type { Env } from "../../env";
import { newId } from "../../platform/ids";
import type { Consumer } from "../../queues/consumer-types";
import type { JobMessage } from "../../queues/messages";
import { applyPaymentEvent } from "../orders/apply-payment-event";
import type { ChargeState } from "./payment-provider";
import { receivePaymentWebhook } from "./payments.service";
import { TEST_SIGNATURE_HEADER } from "./test-provider";
import { signWebhookPayload } from "./webhook-signature";

export const TEST_PROVIDER_EVENT = "test_provider.payment_event";
export const WEBHOOK_ARRIVALS = ["queued", "before", "twice", "never"] as const;
export type WebhookArrival = (typeof WEBHOOK_ARRIVALS)[number];

/** The Stripe-shaped event the provider sends about a charge it just decided. */
export function paymentEventBody(
  charge: ChargeState & { amount: number; currency: string; checkoutId: string | null },
): string {
  const type =
    charge.status === "succeeded"
      ? "payment_intent.succeeded"
      : charge.status === "canceled"
        ? "payment_intent.canceled"
        : "payment_intent.payment_failed";
  const object = {
    id: charge.paymentId,
    object: "payment_intent",
    status: charge.status,
    amount: charge.amount,
    currency: charge.currency.toLowerCase(),
    metadata: charge.checkoutId ? { motor_checkout_id: charge.checkoutId } : {},
    ...(charge.declineCode ? { last_payment_error: { code: charge.declineCode } } : {}),
  };
  return JSON.stringify({ id: newId("evt"), object: "event", type, data: { object } });
}

/** Receives one event as the webhook route would: signed with the configured secret, verified, deduplicated, applied. */
export async function deliverTestProviderEvent(env: Env, body: string): Promise<void> {
  const headers = new Headers({
    [TEST_SIGNATURE_HEADER]: await signWebhookPayload(env.TEST_PAYMENT_WEBHOOK_SECRET ?? "", body),
  });
  const db = createDatabase(env.DB);
  await receivePaymentWebhook(env, db, "test", body, headers, (database, event) =>
    applyPaymentEvent(database, event, env),
  );
}

const messageOf = (body: string): JobMessage => ({
  id: newId("job"),
  type: TEST_PROVIDER_EVENT,
  version: 1,
  occurredAt: Date.now(),
  data: { body },
});

/** Sends the provider's event the way the knob says; `before` is delivered inline, ahead of the browser's redirect. */
export async function sendTestProviderEvent(env: Env, body: string, arrival: WebhookArrival): Promise<void> {
  if (arrival === "never") return;
  if (arrival === "before") return deliverTestProviderEvent(env, body);
  const copies = arrival === "twice" ? [messageOf(body), messageOf(body)] : [messageOf(body)];
  await env.JOBS.sendBatch(copies.map((message) => ({ body: message, contentType: "json" as const })));
}

export const testProviderEventConsumer: Consumer = {
  name: "test-provider-webhook",
  types: [TEST_PROVIDER_EVENT],
  handle: async (message, env) => {
    if (typeof message.data.body !== "string") throw new Error("test_provider.payment_event without a body");
    await deliverTestProviderEvent(env, message.data.body);
  },
};
