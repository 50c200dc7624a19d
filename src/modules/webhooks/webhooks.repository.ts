/** Webhook endpoints and their delivery log (drizzle only). */
import { and, desc, eq, lt, ne, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { newId } from "../../platform/ids";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertEndpoint(db: Database, row: EndpointRow) {
  await db.insert(webhookEndpoints).values(row);
}

export async function listEndpoints(db: Database): Promise<EndpointRow[]> {
  return db.select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

export async function deleteEndpoint(db: Database, id: string): Promise<boolean> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

export async function findEndpoint(db: Database, id: string): Promise<EndpointRow | undefined> {
  return (await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).limit(1))[0];
}

/** Creates the deliveries of one event (once: unique per endpoint and event); returns the unfinished ones. */
export async function ensureDeliveries(
  db: Database,
  event: { id: string; type: string },
  endpointIds: string[],
  payload: string,
  now: number,
) {
  if (endpointIds.length === 0) return [];
  const rows = endpointIds.map((endpointId) => ({
    id: newId("dlv"),
    endpointId,
    eventId: event.id,
    eventType: event.type,
    payload,
    status: "pending" as const,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  }));
  // one round trip: the insert, then what is still to deliver (a redelivered event's rows included)
  const [, pending] = await db.batch([
    db.insert(webhookDeliveries).values(rows).onConflictDoNothing(),
    db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.eventId, event.id), ne(webhookDeliveries.status, "succeeded"))),
  ]);
  return pending;
}

export async function findDelivery(db: Database, id: string): Promise<DeliveryRow | undefined> {
  return (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1))[0];
}

export async function listDeliveries(
  db: Database,
  endpointId: string,
  limit: number,
  after?: { createdAt: number; id: string },
) {
  const page = after
    ? or(
        lt(webhookDeliveries.createdAt, after.createdAt),
        and(eq(webhookDeliveries.createdAt, after.createdAt), lt(webhookDeliveries.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), page))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
}

export async function updateDelivery(
  db: Database,
  id: string,
  changes: Partial<Pick<DeliveryRow, "status" | "attempts" | "lastStatusCode" | "lastError" | "updatedAt">>,
) {
  await db.update(webhookDeliveries).set(changes).where(eq(webhookDeliveries.id, id));
}

export async function purgeDeliveriesBefore(db: Database, cutoff: number) {
  await db.delete(webhookDeliveries).where(lt(webhookDeliveries.createdAt, cutoff));
}
