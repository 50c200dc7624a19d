/** The request's origin for audit rows: request id and client IP (Cloudflare's CF-Connecting-IP). */
import type { Context } from "hono";
import type { AuditOrigin } from "../modules/audit/audit.service";
import type { AppBindings } from "./context";

/**
 * The client address: `CF-Connecting-IP`, which Cloudflare's edge sets (overwriting any inbound
 * value) on every request that reaches a Worker. `X-Forwarded-For` is never trusted: any client
 * can write it.
 */
export function clientIp(c: Context<AppBindings>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

export function auditOrigin(c: Context<AppBindings>): AuditOrigin {
  return { requestId: c.get("requestId"), ip: clientIp(c) };
}
