/**
 * Authentication and authorisation. `authenticate()` runs on every route: without an
 * Authorization header the caller is anonymous; with one, the bearer token must verify or the
 * answer is 401 (a bad token is never silently treated as anonymous). The scheme is matched
 * case-insensitively (RFC 9110 §11.1: `bearer` is `Bearer`). `requireUser()` and
 * `requirePermission()` guard routes: 401 without a caller, 403 with the wrong role.
 * `requirePermission()` decides on the role and token version stored in D1 now, not on the token's
 * claims (identity/access.ts), so a demotion or a password reset bites at once.
 */
import { createMiddleware } from "hono/factory";
import { confirmAuthority } from "../modules/identity/access";
import { can, type Permission } from "../modules/identity/permissions";
import { verifyAccessToken } from "../modules/identity/tokens";
import type { AppBindings } from "../platform/context";
import { ForbiddenError, UnauthorizedError } from "../platform/errors";

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;

export function authenticate() {
  return createMiddleware<AppBindings>(async function authenticate(c, next) {
    const header = c.req.header("Authorization");
    if (header !== undefined) {
      const token = BEARER.exec(header.trim())?.[1];
      if (!token) throw new UnauthorizedError({ detail: "Use 'Authorization: Bearer <accessToken>'", headers: { "WWW-Authenticate": 'Bearer error="invalid_request"' } });
      c.set("caller", await verifyAccessToken(c.env, c.get("config"), token));
    }
    await next();
  });
}

export function requireUser() {
  return createMiddleware<AppBindings>(async function requireUser(c, next) {
    if (!c.get("caller")) throw new UnauthorizedError({ detail: "Sign in first", headers: { "WWW-Authenticate": "Bearer" } });
    await next();
  });
}

export function requirePermission(permission: Permission) {
  return createMiddleware<AppBindings>(async function requirePermission(c, next) {
    const claimed = c.get("caller");
    if (!claimed) throw new UnauthorizedError({ detail: "Sign in first", headers: { "WWW-Authenticate": "Bearer" } });
    const caller = await confirmAuthority(c.get("db"), claimed);
    c.set("caller", caller);
    if (!can(caller.role, permission)) throw new ForbiddenError({ detail: `Requires the ${permission} permission` });
    await next();
  });
}
