/**
 * Security headers on every answer — JSON, problem, HTML and 304 alike — set after the handler so
 * errors get them too. Each value and why (docs/security.md repeats the table):
 * - `Content-Security-Policy`: an API answer renders nothing, so `default-src 'none'` and no
 *   framing, base or form target; a handler serving HTML sets its own policy first and keeps it
 *   (the storefront, the console and /docs: see src/modules/web/web.csp.ts).
 * - `Strict-Transport-Security: max-age=63072000; includeSubDomains` (2 years) in production only:
 *   a local `http://127.0.0.1` must stay reachable, and a staging domain may be shared.
 * - `Referrer-Policy: no-referrer`: URLs carry cart ids and reset tokens; no other site sees them.
 * - `Permissions-Policy`: every powerful browser feature off (camera, microphone, geolocation,
 *   payment, USB…) — nothing Motor serves needs them.
 * - `Cross-Origin-Opener-Policy: same-origin`: our pages get their own browsing context group, so
 *   a window an attacker opened cannot script them (XS-Leaks, tabnabbing).
 * - `Cross-Origin-Resource-Policy: cross-origin`: the API is read by shops on other origins (CORS
 *   still decides who may read an answer in a browser).
 * - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (for browsers without
 *   frame-ancestors).
 */
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../platform/context";

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const HSTS = "max-age=63072000; includeSubDomains";
export const PERMISSIONS_POLICY =
  "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), xr-spatial-tracking=()";

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
