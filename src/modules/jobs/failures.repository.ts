/** Failed and dead-lettered messages (drizzle only). Keyed by the message body's unique id. */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { jobFailures } from "../../db/schema";
import type { JobMessage } from "../../queues/messages";

export type JobFailureRow = typeof jobFailures.$inferSelect;

const MAX_ERROR_LENGTH = 2_000;

/** While the queue still retries: remember the last error (the DLQ will not carry it). */
export async function recordRetry(db: Database, body: JobMessage, attempts: number, error: string, now: number) {
  const lastError = error.slice(0, MAX_ERROR_LENGTH);
  await db
    .insert(jobFailures)
    .values({
      id: body.id,
      type: body.type,
      body: { ...body },
      status: "retrying",
      attempts,
      lastError,
      firstFailedAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({ target: jobFailures.id, set: { status: "retrying", attempts, lastError, updatedAt: now } });
}

/** The DLQ consumer's record: the message gave up; the last error recorded by a retry is kept. */
export async function recordDeadLetter(db: Database, body: JobMessage, attempts: number, now: number) {
  await db
    .insert(jobFailures)
    .values({
      id: body.id,
      type: body.type,
      body: { ...body },
      status: "dead",
      attempts,
      lastError: null,
      firstFailedAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({ target: jobFailures.id, set: { status: "dead", updatedAt: now } });
}

export async function listDeadLetters(db: Database, limit: number, after?: { updatedAt: number; id: string }) {
  const page = after
    ? or(
        lt(jobFailures.updatedAt, after.updatedAt),
        and(eq(jobFailures.updatedAt, after.updatedAt), lt(jobFailures.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(jobFailures)
    .where(and(eq(jobFailures.status, "dead"), page))
    .orderBy(desc(jobFailures.updatedAt), desc(jobFailures.id))
    .limit(limit + 1);
}

export async function findFailure(db: Database, id: string): Promise<JobFailureRow | undefined> {
  const rows = await db.select().from(jobFailures).where(eq(jobFailures.id, id)).limit(1);
  return rows[0];
}

export async function markReplayed(db: Database, id: string, now: number) {
  await db.update(jobFailures).set({ status: "replayed", updatedAt: now }).where(eq(jobFailures.id, id));
}
