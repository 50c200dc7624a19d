/**
 * Consumer idempotency: the queue delivers at least once, so a consumer checks whether it already
 * handled an event before working and records it after. Two copies handled at the very same time
 * could both pass the check; the side effects themselves are therefore idempotent too (emails carry
 * an idempotency key, webhook deliveries are unique per endpoint and event).
 * The marks of a whole queue batch cost one read and one write, however many messages and
 * consumers it has: they are bookkeeping on the database every order writes to (docs/capacity.md).
 */
import { inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../../db/client";
import { processedEvents } from "../../db/schema";
import { slices } from "../../db/slices";

export interface ProcessedMark {
  eventId: string;
  consumer: string;
}

/** D1 binds at most 100 parameters per statement: event ids per read, marks (3 columns) per insert. */
const IDS_PER_READ = 90;
const MARKS_PER_INSERT = 30;

const markKey = (eventId: string, consumer: string) => `${eventId}\n${consumer}`;

/** The marks recorded for a batch's events. */
export interface ProcessedMarks {
  has: (eventId: string, consumer: string) => boolean;
}

/** The marks already recorded for these events (one round trip); `has(eventId, consumer)` answers. */
export async function processedMarks(db: Database, eventIds: readonly string[]): Promise<ProcessedMarks> {
  const found = new Set<string>();
  if (eventIds.length > 0) {
    const reads = slices(eventIds, IDS_PER_READ).map((ids) =>
      db
        .select({ eventId: processedEvents.eventId, consumer: processedEvents.consumer })
        .from(processedEvents)
        .where(inArray(processedEvents.eventId, ids)),
    );
    const results = (await db.batch(reads as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as Array<
      ProcessedMark[]
    >;
    for (const rows of results) for (const row of rows) found.add(markKey(row.eventId, row.consumer));
  }
  return { has: (eventId, consumer) => found.has(markKey(eventId, consumer)) };
}

/** Records the consumers that processed their events: one write transaction for all of them. */
export async function markProcessed(db: Database, marks: readonly ProcessedMark[], now = Date.now()): Promise<void> {
  if (marks.length === 0) return;
  const inserts = slices(marks, MARKS_PER_INSERT).map((rows) =>
    db
      .insert(processedEvents)
      .values(rows.map((mark) => ({ ...mark, processedAt: now })))
      .onConflictDoNothing(),
  );
  await db.batch(inserts as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
