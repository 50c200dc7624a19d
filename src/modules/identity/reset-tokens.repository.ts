/** Password-reset token rows: stored hashed; consumed by a conditional UPDATE so each works once. */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { passwordResetTokens } from "../../db/schema";

export type ResetTokenRow = typeof passwordResetTokens.$inferSelect;

export function insertResetToken(db: Database, row: ResetTokenRow) {
  return db.insert(passwordResetTokens).values(row);
}

export async function findResetToken(db: Database, tokenHash: string): Promise<ResetTokenRow | undefined> {
  return db.select().from(passwordResetTokens).where(eq(passwordResetTokens.tokenHash, tokenHash)).get();
}

/** Marks the token used if it is unused and unexpired; answers the row it consumed, if any. */
export async function consumeResetToken(
  db: Database,
  tokenHash: string,
  now: number,
): Promise<ResetTokenRow | undefined> {
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

/** Other outstanding links of the user die with a successful reset. */
export function expireResetTokensOfUser(db: Database, userId: string, now: number) {
  return db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
}
