/**
 * Sessions = a short-lived access JWT + an opaque refresh token. Refresh tokens are 256-bit random
 * secrets (newSecret); only their SHA-256 is stored, so a database leak yields no usable token
 * (a fast hash is enough: the secret has full entropy, unlike a password).
 */
import type { Config, Env } from "../../env";
import type { Database } from "../../db/client";
import type { AuditOrigin } from "../audit/audit.service";
import { sha256Hex } from "../../platform/crypto";
import { newId, newSecret } from "../../platform/ids";
import type { Session, UserView } from "./identity.schemas";
import type { RefreshTokenRow } from "./refresh-tokens.repository";
import { signAccessToken } from "./tokens";
import type { UserRow } from "./users.repository";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Sliding lifetime: each rotation issues a successor valid for another 30 days… */
export const REFRESH_TOKEN_TTL_MS = 30 * DAY_MS;
/** …but never past the family's absolute end: a sign-in lasts at most 90 days, however active. */
export const REFRESH_FAMILY_TTL_MS = 90 * DAY_MS;

/** The sign-in a refresh token belongs to; a new sign-in starts a new family. */
export interface RefreshFamily {
  id: string;
  expiresAt: number;
}

export function newFamily(now: number): RefreshFamily {
  return { id: newId("fam"), expiresAt: now + REFRESH_FAMILY_TTL_MS };
}

/** What identity services need from the request, without knowing about HTTP. */
export interface IdentityContext {
  db: Database;
  env: Env;
  config: Config;
  origin: AuditOrigin;
}

export function toUserView(user: Pick<UserRow, "id" | "email" | "name" | "role" | "createdAt">): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

/** A refresh token of `family`: a fresh random secret, or the one given (a derived successor). */
export async function newRefreshToken(
  userId: string,
  now: number,
  family = newFamily(now),
  secret = newSecret(),
): Promise<{ secret: string; row: RefreshTokenRow }> {
  const row: RefreshTokenRow = {
    id: newId("rt"),
    familyId: family.id,
    userId,
    tokenHash: await sha256Hex(secret),
    createdAt: now,
    expiresAt: Math.min(now + REFRESH_TOKEN_TTL_MS, family.expiresAt),
    rotatedAt: null,
    replacedBy: null,
    revokedAt: null,
    familyExpiresAt: family.expiresAt,
  };
  return { secret, row };
}

export async function sessionFor(context: IdentityContext, user: UserRow, refreshSecret: string): Promise<Session> {
  const { accessToken, expiresIn } = await signAccessToken(context.env, context.config, {
    userId: user.id,
    role: user.role,
    tokenVersion: user.tokenVersion,
    email: user.email,
  });
  return { user: toUserView(user), accessToken, refreshToken: refreshSecret, expiresIn, tokenType: "Bearer" };
}
