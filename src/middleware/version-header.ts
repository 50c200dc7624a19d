/**
 * `Motor-Version` on every answer (errors included): the id of the Worker version that answered,
 * from the version metadata binding. During a canary two versions serve side by side; this header
 * is how the smoke test, a support ticket or a log line tells which one answered.
 */
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../platform/context";

export const VERSION_HEADER = "Motor-Version";

export function versionHeader() {
  return createMiddleware<AppBindings>(async function versionHeader(c, next) {
    await next();
    // Absent in unit tests that build an env by hand; always present under wrangler and in the cloud.
    c.res.headers.set(VERSION_HEADER, c.env.CF_VERSION_METADATA?.id || "unknown");
  });
}
