/**
 * Writing domain events. `outboxInsert` returns a statement to put in the same `db.batch()` as
 * the change it describes (D1's batch is its only transaction), so the event exists if and only
 * if the change does. Relaying to the queue is the jobs module's business.
 */
import type { Database } from "../../db/client";
import { outboxEvents } from "../../db/schema";
import { newId } from "../../platform/ids";
import type { JobMessage } from "../../queues/messages";
import { currentTraceparent } from "../../platform/observability/trace";

/** Domain event types; merchant webhooks subscribe to these names. */
export const EVENT_TYPES = [
  "order.created",
  "order.paid",
  "order.cancelled",
  "order.refunded",
  "order.refund_issued",
  "order.fulfilled",
  "order.shipped",
  "order.delivered",
  // manual capture (orders/order-payment.ts): the money taken, the authorisation released, its expiry near
  "order.payment_captured",
  "order.payment_voided",
  "order.authorization_expiring",
  "user.registered",
  "user.password_reset_requested",
  "catalog.changed",
  "inventory.changed",
  "slo.burning",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A new event, carrying the current trace so its consumers continue it. */
export function newEvent(type: EventType, data: Record<string, unknown>, version = 1): JobMessage {
  const traceparent = currentTraceparent();
  return { id: newId("evt"), type, version, occurredAt: Date.now(), data, ...(traceparent ? { traceparent } : {}) };
}

export function outboxInsert(db: Database, event: JobMessage) {
  return db.insert(outboxEvents).values({
    id: event.id,
    type: event.type,
    version: event.version,
    data: event.data,
    occurredAt: event.occurredAt,
    traceparent: event.traceparent ?? null,
  });
}
