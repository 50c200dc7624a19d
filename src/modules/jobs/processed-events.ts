/**
 * Consumer idempotency: the queue delivers at least once, so a consumer checks whether it already
 * handled an event before working and records it after. Two copies handled at the very same time
 * could both pass the check; the side effects themselves are therefore idempotent too (emails carry
 * an idempotency key, webhook deliveries are unique per endpoint and event).
 */
import { and, eq, lt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { processedEvents } from "../../db/schema";

export async function alreadyProcessed(db: Database, eventId: string, consumer: string): Promise<boolean> {
  const rows = await db
    .select({ eventId: processedEvents.eventId })
    .from(processedEvents)
    .where(and(eq(processedEvents.eventId, eventId), eq(processedEvents.consumer, consumer)))
    .limit(1);
  return rows.length > 0;
}

export async function markProcessed(db: Database, eventId: string, consumer: string, now = Date.now()): Promise<void> {
  await db.insert(processedEvents).values({ eventId, consumer, processedAt: now }).onConflictDoNothing();
}

export async function purgeProcessedBefore(db: Database, cutoff: number): Promise<void> {
  await db.delete(processedEvents).where(lt(processedEvents.processedAt, cutoff));
}
