/**
 * Webhook consumers: the fan-out turns a domain event into one delivery per subscribed endpoint
 * and enqueues a `webhook.delivery` message for each, so every endpoint is retried (with the
 * queue's backoff) on its own and a slow or failing merchant never delays another.
 */
import { createDatabase } from "../../db/client";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { currentTraceparent } from "../../platform/observability/trace";
import type { Consumer } from "../../queues/consumer-types";
import type { JobMessage } from "../../queues/messages";
import { dohResolver } from "./dns-resolver";
import { attemptDelivery } from "./webhooks.delivery";
import { ensureDeliveries, findDelivery, findEndpoint, listEndpoints } from "./webhooks.repository";
import { WEBHOOK_EVENT_TYPES } from "./webhooks.schemas";

export const WEBHOOK_DELIVERY = "webhook.delivery";

export function deliveryMessage(deliveryId: string): JobMessage {
  const traceparent = currentTraceparent();
  return {
    id: newId("job"),
    type: WEBHOOK_DELIVERY,
    version: 1,
    occurredAt: Date.now(),
    data: { deliveryId },
    ...(traceparent ? { traceparent } : {}),
  };
}

/** What merchants receive: the event envelope, its time as ISO 8601. */
export function webhookPayload(event: JobMessage): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    version: event.version,
    createdAt: new Date(event.occurredAt).toISOString(),
    data: event.data,
  });
}

export const webhookFanoutConsumer: Consumer = {
  name: "webhook-fanout",
  types: WEBHOOK_EVENT_TYPES,
  handle: async (event, env, batch) => {
    const db = createDatabase(env.DB);
    // one read per queue batch: its events all occurred before it was delivered
    const subscribed = (await batch.once("webhook-endpoints", () => listEndpoints(db))).filter((endpoint) =>
      endpoint.events.includes(event.type),
    );
    const pending = await ensureDeliveries(
      db,
      event,
      subscribed.map((endpoint) => endpoint.id),
      webhookPayload(event),
      Date.now(),
    );
    if (pending.length > 0)
      await env.JOBS.sendBatch(pending.map(({ id }) => ({ body: deliveryMessage(id), contentType: "json" as const })));
  },
};

export const webhookDeliveryConsumer: Consumer = {
  name: "webhook-delivery",
  types: [WEBHOOK_DELIVERY],
  handle: async (message, env) => {
    const deliveryId = message.data.deliveryId;
    if (typeof deliveryId !== "string") throw new Error("webhook.delivery without a deliveryId");
    const db = createDatabase(env.DB);
    const delivery = await findDelivery(db, deliveryId);
    // gone (its endpoint was deleted) or already delivered: nothing left to do
    if (!delivery || delivery.status === "succeeded") return;
    const endpoint = await findEndpoint(db, delivery.endpointId);
    if (!endpoint) return;
    const outcome = await attemptDelivery(db, { config: configOf(env), resolver: dohResolver() }, endpoint, delivery);
    if (!outcome.ok && outcome.retry) throw new Error(`webhook delivery ${delivery.id}: ${outcome.error}`);
  },
};
