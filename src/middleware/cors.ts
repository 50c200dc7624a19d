/**
 * CORS from the `CORS_ORIGINS` allow-list. Motor authenticates with bearer tokens, never cookies,
 * so credentials are never allowed — for an unknown origin no CORS header is sent at all.
 */
import { cors as honoCors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { perConfig } from "../env";
import type { AppBindings } from "../platform/context";

const corsFor = perConfig(({ CORS_ORIGINS: allowed }) =>
  honoCors({
    origin: (origin) => (allowed.includes(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: [
      "Authorization",
      "Content-Type",
      "Idempotency-Key",
      "If-None-Match",
      "X-Request-Id",
      "X-D1-Bookmark",
    ],
    exposeHeaders: [
      "X-Request-Id",
      "Server-Timing",
      "ETag",
      "Retry-After",
      "RateLimit",
      "RateLimit-Policy",
      "Idempotent-Replayed",
      "X-D1-Bookmark",
    ],
    maxAge: 600,
    credentials: false,
  }),
);

export function cors() {
  return createMiddleware<AppBindings>(async function cors(c, next) {
    // Not a cross-origin request: nothing to grant. Vary still tells caches the answer could differ.
    if (!c.req.header("Origin")) {
      await next();
      c.res.headers.append("Vary", "Origin");
      return;
    }
    return corsFor(c.get("config"))(c, next);
  });
}
