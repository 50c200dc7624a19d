/**
 * Decisions that use power trust D1, not the token. An access token lives 10 minutes; within that
 * window a demoted admin (or one whose password was reset after a compromise) would keep its power
 * if the role inside the JWT decided. So a token that claims a role with any permission is checked
 * on every request: the caller's role and token version are re-read (one primary-key read of two
 * columns, ~1 D1 round trip) and a token whose version is older than the account's is refused — a
 * role change or a password reset bumps it. Customer tokens (no permission at all) are trusted as
 * signed: no D1 read on the shop's hot path, and nothing to abuse but the customer's own data.
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
