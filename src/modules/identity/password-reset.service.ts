/**
 * Password reset by a one-time emailed token: 256-bit random, stored only as its SHA-256, valid
 * for 30 minutes, consumed by a conditional UPDATE so it works exactly once. The token row and the
 * `user.password_reset_requested` outbox event commit in one batch; the jobs module relays the
 * event to the queue and the email adapter sends the link. A reset revokes every refresh family
 * of the user (whoever held a session with the old password loses it).
 */
import { auditInsert } from "../audit/audit.service";
import { newEvent, outboxInsert } from "../jobs/outbox";
import type { JobMessage } from "../../queues/messages";
import { sha256Hex } from "../../platform/crypto";
import { ValidationError } from "../../platform/errors";
import { newId, newSecret } from "../../platform/ids";
import { hashPassword } from "./password";
import { revokeAllOfUser } from "./refresh-tokens.repository";
import { passwordContainsEmail } from "./identity.schemas";
import { consumeResetToken, expireResetTokensOfUser, findResetToken, insertResetToken } from "./reset-tokens.repository";
import type { IdentityContext } from "./sessions";
import { findUserByEmail, findUserById, updatePasswordHash } from "./users.repository";

export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

/**
 * Writes a reset token and its event when the account exists; the caller answers 202 either way.
 * Answers the committed events so the handler can publish them at once (the relay cron would too).
 */
export async function requestPasswordReset(context: IdentityContext, email: string): Promise<JobMessage[]> {
  const { db, origin, config } = context;
  const user = await findUserByEmail(db, email);
  if (!user) return [];
  const now = Date.now();
  const token = newSecret();
  const resetUrl = `${config.PUBLIC_BASE_URL.replace(/\/$/, "")}/reset-password?token=${encodeURIComponent(token)}`;
  const event = newEvent("user.password_reset_requested", { userId: user.id, email: user.email, resetUrl });
  await db.batch([
    insertResetToken(db, { id: newId("prt"), userId: user.id, tokenHash: await sha256Hex(token), createdAt: now, expiresAt: now + RESET_TOKEN_TTL_MS, usedAt: null }),
    outboxInsert(db, event),
    auditInsert(db, origin, { action: "auth.password_reset.requested", actorId: null, subject: user.id }),
  ]);
  return [event];
}

const invalidToken = () => new ValidationError({ detail: "The reset link is invalid, expired or already used", errors: [{ path: "token", message: "invalid, expired or already used" }] });

export async function resetPassword(context: IdentityContext, token: string, password: string): Promise<void> {
  const { db, origin } = context;
  const tokenHash = await sha256Hex(token);
  const pending = await findResetToken(db, tokenHash);
  if (!pending || pending.usedAt !== null || pending.expiresAt <= Date.now()) throw invalidToken();
  const user = await findUserById(db, pending.userId);
  if (!user) throw invalidToken();
  // same policy as registration, checked before the token is spent so a typo does not burn the link
  if (passwordContainsEmail(password, user.email)) {
    throw new ValidationError({ detail: "The request has invalid fields", errors: [{ path: "password", message: "must not contain your email address" }] });
  }
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  // the conditional UPDATE is the single-use guarantee: of two concurrent resets one wins
  if (!(await consumeResetToken(db, tokenHash, now))) throw invalidToken();
  await db.batch([
    updatePasswordHash(db, user.id, passwordHash, now),
    revokeAllOfUser(db, user.id, now),
    expireResetTokensOfUser(db, user.id, now),
    auditInsert(db, origin, { action: "auth.password_reset.completed", actorId: user.id, subject: user.id }),
  ]);
}
