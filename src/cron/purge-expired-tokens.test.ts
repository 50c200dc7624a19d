import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createUser } from "../../test/helpers/auth";
import { DAILY, handleScheduled } from ".";
import { createDatabase } from "../db/client";
import { passwordResetTokens, refreshTokens } from "../db/schema";
import { newId } from "../platform/ids";

const db = () => createDatabase(env.DB);
const HOUR = 3_600_000;

async function refreshToken(userId: string, familyId: string, expiresAt: number) {
  const id = newId("rt");
  await db()
    .insert(refreshTokens)
    .values({ id, familyId, userId, tokenHash: newId("h"), createdAt: expiresAt - HOUR, expiresAt });
  return id;
}

async function resetToken(userId: string, expiresAt: number, usedAt: number | null = null) {
  const id = newId("prt");
  await db()
    .insert(passwordResetTokens)
    .values({ id, userId, tokenHash: newId("h"), createdAt: expiresAt - HOUR, expiresAt, usedAt });
  return id;
}

describe("purge expired tokens (daily cron)", () => {
  it("deletes refresh-token families that are entirely expired and keeps any family still alive", async () => {
    const now = Date.now();
    const user = await createUser();
    const deadFamily = newId("fam");
    const dead = [
      await refreshToken(user.id, deadFamily, now - 2 * HOUR),
      await refreshToken(user.id, deadFamily, now - HOUR),
    ];
    const liveFamily = newId("fam");
    // the rotated, expired token must survive: presenting it again has to revoke the family
    const alive = [
      await refreshToken(user.id, liveFamily, now - HOUR),
      await refreshToken(user.id, liveFamily, now + HOUR),
    ];
    await handleScheduled(createScheduledController({ cron: DAILY, scheduledTime: now }), env);
    const left = await db()
      .select({ id: refreshTokens.id })
      .from(refreshTokens)
      .where(inArray(refreshTokens.id, [...dead, ...alive]));
    expect(left.map((row) => row.id).sort()).toEqual([...alive].sort());
  });

  it("deletes expired reset tokens, used or not, and keeps live ones; a second run changes nothing", async () => {
    const now = Date.now();
    const user = await createUser();
    const expired = [await resetToken(user.id, now - 1), await resetToken(user.id, now - HOUR, now - 2 * HOUR)];
    const live = await resetToken(user.id, now + HOUR);
    for (let run = 0; run < 2; run++) {
      await handleScheduled(createScheduledController({ cron: DAILY, scheduledTime: now }), env);
      const left = await db()
        .select({ id: passwordResetTokens.id })
        .from(passwordResetTokens)
        .where(inArray(passwordResetTokens.id, [...expired, live]));
      expect(left.map((row) => row.id)).toEqual([live]);
    }
  });
});
