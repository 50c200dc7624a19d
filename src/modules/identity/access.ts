/**
 * Admin decisions trust D1, not the token. An access token lives 10 minutes; within that window a
 * demoted admin (or one whose password was reset after a compromise) would keep its power if the
 * role inside the JWT decided. So every route guarded by a permission re-reads the caller's role
 * and token version (one primary-key read of two columns, ~1 D1 round trip) and refuses a token
 * whose version is older than the account's: a role change or a password reset bumps it.
 * Routes that need only a signed-in customer keep trusting the token (no D1 read on the hot path).
 */
import type { Database } from "../../db/client";
import type { Caller } from "../../platform/context";
import { UnauthorizedError } from "../../platform/errors";
import { findAuthority } from "./users.repository";

export async function confirmAuthority(db: Database, caller: Caller): Promise<Caller> {
  const current = await findAuthority(db, caller.userId);
  if (!current || current.tokenVersion !== caller.tokenVersion) {
    throw new UnauthorizedError({ detail: "This access token was revoked; sign in again", headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });
  }
  return { ...caller, role: current.role };
}
