/**
 * Creates the request's ServerTimings and writes the `Server-Timing` header on the way out,
 * whatever the outcome (errors are already turned into responses by then).
 */
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../platform/context";
import { ServerTimings } from "../platform/timing";

export function serverTiming() {
  return createMiddleware<AppBindings>(async function serverTiming(c, next) {
    const started = performance.now();
    const timings = new ServerTimings();
    c.set("timings", timings);
    await next();
    c.res.headers.set("Server-Timing", timings.header(performance.now() - started));
  });
}
