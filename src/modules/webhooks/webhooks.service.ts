/**
 * Merchant webhook endpoints: register (URL checked against SSRF, secret generated and returned
 * once), list, delete; the delivery log per endpoint and replaying one delivery.
 */
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { NotFoundError, ValidationError } from "../../platform/errors";
import { newId, newSecret } from "../../platform/ids";
import { decodeCursor, toPage } from "../../platform/pagination";
import { allowsHttp, assertSafeWebhookUrl, UnsafeUrlError } from "./url-guard";
import { deliveryMessage } from "./webhooks.consumers";
import { statusClass } from "./webhooks.delivery";
import * as repository from "./webhooks.repository";
import {
  deliveryCursorSchema,
  type DeliveryListQuery,
  type RegisterWebhook,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "./webhooks.schemas";

const toEndpoint = (row: repository.EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  events: row.events,
  createdAt: new Date(row.createdAt).toISOString(),
});

const toDelivery = (row: repository.DeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpointId,
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  lastStatusCode: null,
  lastStatusClass: statusClass(row.lastStatusCode),
  lastError: row.lastError,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

export async function registerEndpoint(db: Database, appEnv: string, input: RegisterWebhook) {
  let url: URL;
  try {
    url = assertSafeWebhookUrl(input.url, { allowHttp: allowsHttp(appEnv) });
  } catch (error) {
    if (!(error instanceof UnsafeUrlError)) throw error;
    throw new ValidationError({
      detail: "The webhook URL is not allowed",
      errors: [{ path: "url", message: error.message }],
    });
  }
  const row = {
    id: newId("whk"),
    url: url.toString(),
    events: input.events,
    secret: `whsec_${newSecret()}`,
    createdAt: Date.now(),
  };
  await repository.insertEndpoint(db, row);
  return { ...toEndpoint(row), secret: row.secret };
}

export async function listEndpoints(db: Database) {
  return { data: (await repository.listEndpoints(db)).map(toEndpoint) };
}

export async function deleteEndpoint(db: Database, id: string): Promise<void> {
  if (!(await repository.deleteEndpoint(db, id)))
    throw new NotFoundError({ detail: "No webhook endpoint has this id" });
}

export async function listDeliveries(db: Database, endpointId: string, query: DeliveryListQuery) {
  if (!(await repository.findEndpoint(db, endpointId)))
    throw new NotFoundError({ detail: "No webhook endpoint has this id" });
  const after = query.cursor ? decodeCursor(query.cursor, deliveryCursorSchema) : undefined;
  const rows = await repository.listDeliveries(db, endpointId, query.limit, after);
  return toPage(rows, query.limit, toDelivery, (row) => ({ createdAt: row.createdAt, id: row.id }));
}

/** Sends the delivery again (even a succeeded one: the merchant asked for it) through the queue. */
export async function replayDelivery(env: Env, db: Database, id: string): Promise<WebhookDelivery> {
  const delivery = await repository.findDelivery(db, id);
  if (!delivery) throw new NotFoundError({ detail: "No webhook delivery has this id" });
  const now = Date.now();
  await repository.updateDelivery(db, id, { status: "pending", updatedAt: now });
  await env.JOBS.send(deliveryMessage(id), { contentType: "json" });
  return toDelivery({ ...delivery, status: "pending", updatedAt: now });
}
