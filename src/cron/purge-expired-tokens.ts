/**
 * Purges identity tokens nobody can use any more. A refresh token row is kept while any token of
 * its family is still alive, because reuse detection needs the rotated ones: deleting a rotated
 * token early would turn "reuse → revoke the family" into a plain "unknown token". Reset tokens
 * go once expired (used or not).
 */
import { lt, sql } from "drizzle-orm";
import { createDatabase } from "../db/client";
import { passwordResetTokens, refreshTokens } from "../db/schema";
import type { CronJob } from "./cron-job";

export const purgeExpiredTokensJob: CronJob = {
  name: "purge-expired-tokens",
  run: async (env, now) => {
    const db = createDatabase(env.DB);
    await db.batch([
      db.delete(refreshTokens).where(
        sql`${refreshTokens.familyId} IN (SELECT ${refreshTokens.familyId} FROM
            ${refreshTokens} GROUP BY ${refreshTokens.familyId} HAVING MAX(${refreshTokens.expiresAt}) < ${now})`,
      ),
      db.delete(passwordResetTokens).where(lt(passwordResetTokens.expiresAt, now)),
    ]);
  },
};
