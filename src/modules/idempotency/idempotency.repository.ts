/**
 * Idempotency records in D1 (drizzle only). The claim is one atomic statement — INSERT … ON
 * CONFLICT DO NOTHING — so of two concurrent requests with one key exactly one sees `changes = 1`.
 */
import { and, eq, lt, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { idempotencyKeys } from "../../db/schema";

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const byId = (scope: string, key: string) => and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));

/** Batchable: the claim itself, `INSERT … ON CONFLICT DO NOTHING` (changes = 1: this request won the key). */
export function insertClaimStatement(
  db: Database,
  row: { scope: string; key: string; requestHash: string; now: number; expiresAt: number },
) {
  return db
    .insert(idempotencyKeys)
    .values({
      scope: row.scope,
      key: row.key,
      requestHash: row.requestHash,
      status: "in_progress",
      lockedAt: row.now,
      createdAt: row.now,
      expiresAt: row.expiresAt,
    })
    .onConflictDoNothing();
}

export async function insertClaim(
  db: Database,
  row: { scope: string; key: string; requestHash: string; now: number; expiresAt: number },
): Promise<boolean> {
  const result = await insertClaimStatement(db, row).run();
  return result.meta.changes === 1;
}

/** Batchable: the key's record (after the claim in the same batch: ours when we won it). */
export function selectRecord(db: Database, scope: string, key: string) {
  return db.select().from(idempotencyKeys).where(byId(scope, key)).limit(1);
}

/** Re-claims an expired (not yet purged) record for a new request; atomic like the insert. */
export async function reclaimExpired(
  db: Database,
  row: { scope: string; key: string; requestHash: string; now: number; expiresAt: number },
): Promise<boolean> {
  const result = await db
    .update(idempotencyKeys)
    .set({
      requestHash: row.requestHash,
      status: "in_progress",
      responseStatus: null,
      responseHeaders: null,
      responseBody: null,
      lockedAt: row.now,
      createdAt: row.now,
      expiresAt: row.expiresAt,
    })
    .where(and(byId(row.scope, row.key), lte(idempotencyKeys.expiresAt, row.now)))
    .run();
  return result.meta.changes === 1;
}

/** Takes over a stale in-progress claim (its attempt crashed); compare-and-set on the old lock time. */
export async function takeOverStaleClaim(
  db: Database,
  scope: string,
  key: string,
  previousLock: number,
  now: number,
): Promise<boolean> {
  const result = await db
    .update(idempotencyKeys)
    .set({ lockedAt: now })
    .where(and(byId(scope, key), eq(idempotencyKeys.status, "in_progress"), eq(idempotencyKeys.lockedAt, previousLock)))
    .run();
  return result.meta.changes === 1;
}

/** Batchable: completes the claim with the answer to replay (only the attempt holding the lock can). */
export function completeStatement(
  db: Database,
  claim: { scope: string; key: string; lockedAt: number },
  answer: StoredAnswer,
) {
  return db
    .update(idempotencyKeys)
    .set({
      status: "completed",
      responseStatus: answer.status,
      responseHeaders: answer.headers,
      responseBody: answer.body,
    })
    .where(
      and(
        byId(claim.scope, claim.key),
        eq(idempotencyKeys.status, "in_progress"),
        eq(idempotencyKeys.lockedAt, claim.lockedAt),
      ),
    );
}

/** Drops our claim so that a retry runs again (after a 5xx or a 429, which are never final). */
export async function deleteClaim(
  db: Database,
  claim: { scope: string; key: string; lockedAt: number },
): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        byId(claim.scope, claim.key),
        eq(idempotencyKeys.status, "in_progress"),
        eq(idempotencyKeys.lockedAt, claim.lockedAt),
      ),
    )
    .run();
}

export async function deleteExpired(db: Database, now: number): Promise<number> {
  const result = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).run();
  return result.meta.changes;
}
