/** The request's origin for audit rows: request id and client IP (Cloudflare's CF-Connecting-IP). */
import type { Context } from "hono";
import type { Actor, AuditOrigin } from "../modules/audit/audit.service";
import type { AppBindings } from "./context";
import { rateLimitKey } from "./ip";

/**
 * The client address: `CF-Connecting-IP`, which Cloudflare's edge sets (overwriting any inbound
 * value) on every request that reaches a Worker. `X-Forwarded-For` is never trusted: any client
 * can write it.
 */
export function clientIp(c: Context<AppBindings>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

/**
 * Who a request is made for, as a shared circuit breaker counts clients: the signed-in user, else
 * the network it comes from (an IPv6 /64, as rate limits key it).
 */
export function clientKeyOf(c: Context<AppBindings>): string {
  const caller = c.get("caller");
  return caller ? `user:${caller.userId}` : `ip:${rateLimitKey(clientIp(c))}`;
}

export function auditOrigin(c: Context<AppBindings>): AuditOrigin {
  return { requestId: c.get("requestId"), ip: clientIp(c) };
}

/** The acting staff member; only for routes behind requirePermission(), which set the caller. */
export function actorOf(c: Context<AppBindings>): Actor {
  const caller = c.get("caller");
  if (!caller) throw new Error("requirePermission() guards this route");
  return { userId: caller.userId, origin: auditOrigin(c) };
}
