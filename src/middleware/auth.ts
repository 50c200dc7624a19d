/**
 * Authentication and authorisation. `authenticate()` runs on every route: no Authorization header is
 * anonymous; a bearer token (scheme matched case-insensitively, RFC 9110 §11.1) must verify or the
 * answer is 401. A token that claims a role with any permission is confirmed against D1 on every
 * request (identity/access.ts), so a demotion or a password reset bites at once; customer tokens cost
 * no D1 read. `requireUser()`/`requirePermission()` guard routes. docs/identity.md, "Roles and permissions".
 */
import { createMiddleware } from "hono/factory";
import { claimsPower, confirmAuthority } from "../modules/identity/access";
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
      if (!token)
        throw new UnauthorizedError({
          detail: "Use 'Authorization: Bearer <accessToken>'",
          headers: { "WWW-Authenticate": 'Bearer error="invalid_request"' },
        });
      const claimed = await verifyAccessToken(c.env, c.get("config"), token);
      // primary: a demotion or a password reset must bite at once, and a session may read a lagging replica
      c.set("caller", claimsPower(claimed) ? await confirmAuthority(c.get("primaryDb"), claimed) : claimed);
    }
    await next();
  });
}

export function requireUser() {
  return createMiddleware<AppBindings>(async function requireUser(c, next) {
    if (!c.get("caller"))
      throw new UnauthorizedError({ detail: "Sign in first", headers: { "WWW-Authenticate": "Bearer" } });
    await next();
  });
}

export function requirePermission(permission: Permission) {
  return createMiddleware<AppBindings>(async function requirePermission(c, next) {
    const caller = c.get("caller");
    if (!caller) throw new UnauthorizedError({ detail: "Sign in first", headers: { "WWW-Authenticate": "Bearer" } });
    // a caller with any permission was confirmed against D1 by authenticate()
    if (!can(caller.role, permission)) throw new ForbiddenError({ detail: `Requires the ${permission} permission` });
    await next();
  });
}
