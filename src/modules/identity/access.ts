/**
 * Decisions that use power trust D1, not the token: within an access token's life
 * (ACCESS_TOKEN_TTL_SECONDS) a demoted admin, or one whose password was reset, would keep its power
 * if the JWT's role decided. So a token that claims a role with any permission has its role and token
 * version re-read on every request (one primary-key read), and an older version is refused. Customer
 * tokens are trusted as signed: no D1 read on the shop's hot path. docs/identity.md, "Roles and permissions".
 */
import type { Database } from "../../db/client";
import type { Caller } from "../../platform/context";
import { UnauthorizedError } from "../../platform/errors";
import { PERMISSIONS } from "./permissions";
import { findAuthority } from "./users.repository";

export function claimsPower(caller: Caller): boolean {
  return PERMISSIONS[caller.role].size > 0;
}

export async function confirmAuthority(db: Database, caller: Caller): Promise<Caller> {
  const current = await findAuthority(db, caller.userId);
  if (!current || current.tokenVersion !== caller.tokenVersion) {
    throw new UnauthorizedError({
      detail: "This access token was revoked; sign in again",
      headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' },
    });
  }
  return { ...caller, role: current.role };
}
