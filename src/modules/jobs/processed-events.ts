/**
 * Consumer idempotency: the queue delivers at least once, so a consumer checks whether it already
 * handled an event before working and records it after. Two copies handled at the very same time
 * could both pass the check; the side effects themselves are therefore idempotent too (emails carry
 * an idempotency key, webhook deliveries are unique per endpoint and event).
 */
import { and, eq, inArray, lt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { processedEvents } from "../../db/schema";

/** Which of `consumers` already processed the event: one read for all of a message's consumers. */
export async function processedBy(db: Database, eventId: string, consumers: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .select({ consumer: processedEvents.consumer })
    .from(processedEvents)
    .where(and(eq(processedEvents.eventId, eventId), inArray(processedEvents.consumer, [...consumers])));
  return new Set(rows.map((row) => row.consumer));
}

/** Records the consumers that processed the event: one write for all of them. */
export async function markProcessed(db: Database, eventId: string, consumers: readonly string[], now = Date.now()): Promise<void> {
  if (consumers.length === 0) return;
  await db.insert(processedEvents).values(consumers.map((consumer) => ({ eventId, consumer, processedAt: now }))).onConflictDoNothing();
}

export async function purgeProcessedBefore(db: Database, cutoff: number): Promise<void> {
  await db.delete(processedEvents).where(lt(processedEvents.processedAt, cutoff));
}
