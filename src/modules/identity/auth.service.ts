/**
 * Register, login, refresh and logout. Every write that belongs together (a user, their first
 * refresh token, the audit row) goes in one D1 batch, D1's only transaction.
 */
import { isUniqueViolation } from "../../db/errors";
import { auditInsert, recordAudit } from "../audit/audit.service";
import { newEvent, outboxInsert } from "../jobs/outbox";
import { sha256Hex, timingSafeEqualStrings } from "../../platform/crypto";
import { ConflictError, NotFoundError, UnauthorizedError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import type { LoginBody, RegisterBody, Session, UserView } from "./identity.schemas";
import type { LoginGuard } from "./login-guard";
import { dummyHash, hashPassword, verifyPassword } from "./password";
import { refreshSuccessorOf } from "./derived-secrets";
import {
  findRefreshToken,
  findRefreshTokenById,
  insertRefreshToken,
  insertSuccessor,
  markRotated,
  revokeFamily,
  type RefreshTokenRow,
} from "./refresh-tokens.repository";
import { newRefreshToken, sessionFor, toUserView, type IdentityContext } from "./sessions";
import { findUserByEmail, findUserById, insertUser, updatePasswordHash, type UserRow } from "./users.repository";

const emailTaken = () =>
  new ConflictError({
    detail: "An account with this email already exists",
    errors: [{ path: "email", message: "already registered" }],
  });

export async function register(context: IdentityContext, body: RegisterBody): Promise<Session> {
  const { db, origin } = context;
  if (await findUserByEmail(db, body.email)) throw emailTaken();
  const now = Date.now();
  const user: UserRow = {
    id: newId("usr"),
    email: body.email,
    name: body.name,
    passwordHash: await hashPassword(body.password),
    role: "customer",
    createdAt: now,
    updatedAt: now,
    tokenVersion: 0,
  };
  const refresh = await newRefreshToken(user.id, now);
  try {
    await db.batch([
      insertUser(db, user),
      insertRefreshToken(db, refresh.row),
      auditInsert(db, origin, { action: "auth.register", actorId: user.id, subject: user.id }),
      outboxInsert(db, newEvent("user.registered", { userId: user.id, email: user.email, name: user.name })),
    ]);
  } catch (error) {
    // two registrations racing for one email: the unique index decides, the loser gets the same 409
    if (isUniqueViolation(error, "users.email")) throw emailTaken();
    throw error;
  }
  return sessionFor(context, user, refresh.secret);
}

const wrongCredentials = () => new UnauthorizedError({ detail: "The email or password is wrong" });

export async function login(context: IdentityContext, guard: LoginGuard, body: LoginBody): Promise<Session> {
  const { db, origin } = context;
  // spending an attempt (a Durable Object) and the user lookup (D1) are independent: one round-trip
  const [, user] = await Promise.all([guard.spend(body.email), findUserByEmail(db, body.email)]);
  // an unknown email still pays for one full hash, so timing does not tell which emails exist
  const { valid, needsRehash } = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !valid) {
    await recordAudit(db, origin, {
      action: "auth.login.failed",
      actorId: user?.id ?? null,
      subject: user?.id ?? null,
      details: { email: body.email },
    });
    throw wrongCredentials();
  }
  const now = Date.now();
  const refresh = await newRefreshToken(user.id, now);
  await guard.giveBack(body.email);
  await db.batch([
    insertRefreshToken(db, refresh.row),
    auditInsert(db, origin, { action: "auth.login.succeeded", actorId: user.id, subject: user.id }),
    // parameters raised since this hash was made: upgrade it now that we know the password
    ...(needsRehash ? [updatePasswordHash(db, user.id, await hashPassword(body.password), now)] : []),
  ]);
  return sessionFor(context, user, refresh.secret);
}

const invalidRefresh = () => new UnauthorizedError({ detail: "The refresh token is invalid, expired or revoked" });

/**
 * Two tabs refreshing with one token at once is not a theft: within this window after a rotation
 * the same token answers the same successor (derived, see derived-secrets.ts) instead of revoking
 * the family. After it, a rotated token is a reuse (RFC 9700 §4.14.2). The price: a thief who
 * presents a stolen token within 10 s of its owner gets the owner's successor too — the same
 * session the owner holds, no new one, and it dies with the family on the next reuse.
 */
export const REFRESH_REUSE_GRACE_MS = 10_000;

export async function refresh(context: IdentityContext, presented: string): Promise<Session> {
  const { db, env } = context;
  const now = Date.now();
  const current = await findRefreshToken(db, await sha256Hex(presented));
  if (!current || current.revokedAt !== null || current.familyExpiresAt <= now) throw invalidRefresh();
  if (current.rotatedAt !== null) return sameSuccessorOrReuse(context, current, presented, now);
  if (current.expiresAt <= now) throw invalidRefresh();
  const user = await findUserById(db, current.userId);
  if (!user) throw invalidRefresh();
  const family = { id: current.familyId, expiresAt: current.familyExpiresAt };
  const successor = await newRefreshToken(user.id, now, family, await refreshSuccessorOf(env, presented));
  const [rotation] = await db.batch([
    markRotated(db, current.id, successor.row.id, now),
    insertSuccessor(db, current.id, successor.row),
  ]);
  if (rotation.meta.changes === 1) return sessionFor(context, user, successor.secret);
  // lost the race against a concurrent use of the same token: the winner's successor, or a reuse
  const rotated = await findRefreshToken(db, current.tokenHash);
  if (!rotated || rotated.rotatedAt === null) throw invalidRefresh();
  return sameSuccessorOrReuse(context, rotated, presented, now);
}

/** A rotated token presented again: its live successor within the grace window, else reuse detected. */
async function sameSuccessorOrReuse(
  context: IdentityContext,
  rotated: RefreshTokenRow,
  presented: string,
  now: number,
): Promise<Session> {
  const { db, env } = context;
  if (rotated.rotatedAt !== null && now - rotated.rotatedAt <= REFRESH_REUSE_GRACE_MS && rotated.replacedBy) {
    const [successor, user] = await Promise.all([
      findRefreshTokenById(db, rotated.replacedBy),
      findUserById(db, rotated.userId),
    ]);
    const secret = await refreshSuccessorOf(env, presented);
    const live = successor && successor.rotatedAt === null && successor.revokedAt === null && successor.expiresAt > now;
    if (live && user && timingSafeEqualStrings(successor.tokenHash, await sha256Hex(secret)))
      return sessionFor(context, user, secret);
  }
  return reuseDetected(context, rotated.familyId, rotated.userId, now);
}

/** RFC 9700 §4.14.2: a rotated token presented again means it leaked; kill the whole family. */
async function reuseDetected(context: IdentityContext, familyId: string, userId: string, now: number): Promise<never> {
  const { db, origin } = context;
  await db.batch([
    revokeFamily(db, familyId, now),
    auditInsert(db, origin, {
      action: "auth.refresh.reuse_detected",
      actorId: null,
      subject: userId,
      details: { familyId },
    }),
  ]);
  throw invalidRefresh();
}

/** Revokes the token's family; unknown tokens are ignored (logout always succeeds). */
export async function logout(context: IdentityContext, presented: string): Promise<void> {
  const token = await findRefreshToken(context.db, await sha256Hex(presented));
  if (token) await revokeFamily(context.db, token.familyId, Date.now());
}

/** The caller's account as stored now (a token outlives nothing: a deleted account is a 404). */
export async function currentUser(context: IdentityContext, userId: string): Promise<UserView> {
  const user = await findUserById(context.db, userId);
  if (!user) throw new NotFoundError({ detail: "This account no longer exists" });
  return toUserView(user);
}
