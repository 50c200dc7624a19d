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

/** Sliding lifetime: each rotation issues a successor valid for another 30 days. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** What identity services need from the request, without knowing about HTTP. */
export interface IdentityContext {
  db: Database;
  env: Env;
  config: Config;
  origin: AuditOrigin;
}

export function toUserView(user: Pick<UserRow, "id" | "email" | "name" | "role" | "createdAt">): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: new Date(user.createdAt).toISOString() };
}

export async function newRefreshToken(userId: string, now: number, familyId = newId("fam")): Promise<{ secret: string; row: RefreshTokenRow }> {
  const secret = newSecret();
  const row: RefreshTokenRow = {
    id: newId("rt"),
    familyId,
    userId,
    tokenHash: await sha256Hex(secret),
    createdAt: now,
    expiresAt: now + REFRESH_TOKEN_TTL_MS,
    rotatedAt: null,
    replacedBy: null,
    revokedAt: null,
  };
  return { secret, row };
}

export async function sessionFor(context: IdentityContext, user: UserRow, refreshSecret: string): Promise<Session> {
  const { accessToken, expiresIn } = await signAccessToken(context.env, context.config, { userId: user.id, role: user.role, email: user.email });
  return { user: toUserView(user), accessToken, refreshToken: refreshSecret, expiresIn, tokenType: "Bearer" };
}
