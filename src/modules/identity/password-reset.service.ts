/**
 * Password reset by a one-time emailed token, derived from the token row's id (derived-secrets.ts)
 * and stored only as its SHA-256: the outbox event carries the row id, and the email consumer derives
 * the token for the link, so the token is in plain text nowhere but the email. A reset consumes the
 * token once, revokes every refresh family and bumps the token version. Limits and the flow:
 * docs/identity.md, "Password reset".
 */
import { auditInsert } from "../audit/audit.service";
import { newEvent, outboxInsert } from "../jobs/outbox";
import type { JobMessage } from "../../queues/messages";
import { sha256Hex } from "../../platform/crypto";
import { ValidationError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { resetTokenFor } from "./derived-secrets";
import { hashPassword } from "./password";
import { revokeAllOfUser } from "./refresh-tokens.repository";
import { passwordContainsEmail } from "./identity.schemas";
import {
  consumeResetToken,
  expireResetTokensOfUser,
  findResetToken,
  insertResetToken,
} from "./reset-tokens.repository";
import type { IdentityContext } from "./sessions";
import { bumpTokenVersion, findUserByEmail, findUserById, updatePasswordHash } from "./users.repository";

export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;
/** Version 2 carries `resetTokenId` instead of v1's `resetUrl` (which held the token in clear). */
export const RESET_EVENT_VERSION = 2;

/**
 * Writes a reset token and its event when the account exists; the caller answers 202 either way.
 * Answers the committed events so the handler can publish them at once (the relay cron would too).
 */
export async function requestPasswordReset(
  context: IdentityContext,
  email: string,
  mayEmail: (email: string) => Promise<boolean>,
): Promise<JobMessage[]> {
  const { db, origin, env } = context;
  // spent whether or not the account exists, so the budget tells nothing about registration
  const [allowed, user] = await Promise.all([mayEmail(email), findUserByEmail(db, email)]);
  if (!user || !allowed) return [];
  const now = Date.now();
  const resetTokenId = newId("prt");
  const token = await resetTokenFor(env, resetTokenId);
  const event = newEvent(
    "user.password_reset_requested",
    { userId: user.id, email: user.email, resetTokenId },
    RESET_EVENT_VERSION,
  );
  await db.batch([
    insertResetToken(db, {
      id: resetTokenId,
      userId: user.id,
      tokenHash: await sha256Hex(token),
      createdAt: now,
      expiresAt: now + RESET_TOKEN_TTL_MS,
      usedAt: null,
    }),
    outboxInsert(db, event),
    auditInsert(db, origin, { action: "auth.password_reset.requested", actorId: null, subject: user.id }),
  ]);
  return [event];
}

const invalidToken = () =>
  new ValidationError({
    detail: "The reset link is invalid, expired or already used",
    errors: [{ path: "token", message: "invalid, expired or already used" }],
  });

export async function resetPassword(context: IdentityContext, token: string, password: string): Promise<void> {
  const { db, origin } = context;
  const tokenHash = await sha256Hex(token);
  const pending = await findResetToken(db, tokenHash);
  if (!pending || pending.usedAt !== null || pending.expiresAt <= Date.now()) throw invalidToken();
  const user = await findUserById(db, pending.userId);
  if (!user) throw invalidToken();
  // same policy as registration, checked before the token is spent so a typo does not burn the link
  if (passwordContainsEmail(password, user.email)) {
    throw new ValidationError({
      detail: "The request has invalid fields",
      errors: [{ path: "password", message: "must not contain your email address" }],
    });
  }
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  // the conditional UPDATE is the single-use guarantee: of two concurrent resets one wins
  if (!(await consumeResetToken(db, tokenHash, now))) throw invalidToken();
  await db.batch([
    updatePasswordHash(db, user.id, passwordHash, now),
    revokeAllOfUser(db, user.id, now),
    bumpTokenVersion(db, user.id, now),
    expireResetTokensOfUser(db, user.id, now),
    auditInsert(db, origin, { action: "auth.password_reset.completed", actorId: user.id, subject: user.id }),
  ]);
}
