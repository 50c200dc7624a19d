/**
 * W3C trace context for every request: continues the caller's `traceparent`/`tracestate` or starts
 * a trace, runs the rest of the chain inside it (so logs, outbound calls and queued events find it),
 * and answers `traceparent` with the same trace id and Motor's span id — on errors too, since the
 * error handler has turned them into responses by the time this resumes.
 */
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../platform/context";
import { setLogLevel } from "../platform/observability/log";
import { continueTrace, formatTraceparent, runInTrace } from "../platform/observability/trace";
import { configOf } from "../env";

export function traceContext() {
  return createMiddleware<AppBindings>(async function traceContext(c, next) {
    const trace = continueTrace(c.req.header("traceparent"), c.req.header("tracestate"));
    c.set("trace", trace);
    setLogLevel(configOf(c.env).LOG_LEVEL);
    await runInTrace(trace, next);
    c.res.headers.set("traceparent", formatTraceparent(trace));
    if (trace.tracestate) c.res.headers.set("tracestate", trace.tracestate);
  });
}
