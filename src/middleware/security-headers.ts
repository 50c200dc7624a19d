/**
 * Security headers on every answer — JSON, problem, HTML and 304 alike — set after the handler so
 * errors get them too. A handler serving HTML sets its own Content-Security-Policy first and keeps
 * it (src/modules/web/web.csp.ts); HSTS is sent in production only (a local http://127.0.0.1 must
 * stay reachable, a staging domain may be shared). Each value and why: docs/security.md, "Security
 * headers".
 */
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../platform/context";

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const HSTS = "max-age=63072000; includeSubDomains";
export const PERMISSIONS_POLICY =
  "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), " +
  "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), " +
  "xr-spatial-tracking=()";

const ALWAYS: Record<string, string> = {
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": PERMISSIONS_POLICY,
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "cross-origin",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
};

/** Sets them on `headers`: an answer's own CSP (an HTML page's) is kept. Also used by the Worker entry's last resort. */
export function applySecurityHeaders(headers: Headers, production: boolean): void {
  for (const [name, value] of Object.entries(ALWAYS)) headers.set(name, value);
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", API_CSP);
  if (production) headers.set("Strict-Transport-Security", HSTS);
}

export function securityHeaders() {
  return createMiddleware<AppBindings>(async function securityHeaders(c, next) {
    await next();
    applySecurityHeaders(c.res.headers, c.get("config")?.APP_ENV === "production");
  });
}
