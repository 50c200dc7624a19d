/**
 * Refresh-token rows. Rotation is one D1 batch of two statements: a conditional UPDATE that marks
 * the presented token rotated only if nobody did so before (`rotated_at IS NULL`), then an INSERT
 * of the successor that happens only if that UPDATE named this very successor — so of two
 * concurrent uses of one token exactly one wins, and a loser never leaves an orphan token behind.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { refreshTokens } from "../../db/schema";

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

export async function findRefreshToken(db: Database, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).get();
}

export async function findRefreshTokenById(db: Database, id: string): Promise<RefreshTokenRow | undefined> {
  return db.select().from(refreshTokens).where(eq(refreshTokens.id, id)).get();
}

export function insertRefreshToken(db: Database, row: RefreshTokenRow) {
  return db.insert(refreshTokens).values(row);
}

export function markRotated(db: Database, id: string, successorId: string, now: number) {
  return db
    .update(refreshTokens)
    .set({ rotatedAt: now, replacedBy: successorId })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt)));
}

/** Inserts the successor only if `markRotated` (same batch, just before) named it. */
export function insertSuccessor(db: Database, predecessorId: string, row: RefreshTokenRow) {
  // drizzle lists every column of the table, in declaration order, for INSERT … SELECT
  return db.insert(refreshTokens).select(sql`
    SELECT ${row.id}, ${row.familyId}, ${row.userId}, ${row.tokenHash}, ${row.createdAt}, ${row.expiresAt},
      NULL, NULL, NULL, ${row.familyExpiresAt}
    WHERE EXISTS (SELECT 1 FROM refresh_tokens WHERE id = ${predecessorId} AND replaced_by = ${row.id})`);
}

export function revokeFamily(db: Database, familyId: string, now: number) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

export function revokeAllOfUser(db: Database, userId: string, now: number) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}
