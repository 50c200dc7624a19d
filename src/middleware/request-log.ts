/**
 * One structured JSON log line per request (Workers Logs indexes JSON fields): method, matched
 * route pattern (not the raw path, so ids do not explode cardinality), status, duration, request
 * id and the user id when known. `LOG_LEVEL=warn` keeps only 4xx/5xx lines. The duration also
 * feeds the isolate's latency histogram (GET /v1/admin/metrics).
 */
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { configOf } from "../env";
import type { AppBindings } from "../platform/context";
import { isolateLatency, type LatencyRecorder } from "../platform/latency";

const LEVELS = { info: 0, warn: 1, error: 2 } as const;

export interface RequestLogLine {
  level: "info" | "warn" | "error";
  msg: "request";
  method: string;
  route: string;
  status: number;
  durationMs: number;
  requestId: string;
  userId?: string;
}

export function requestLog(options: { write?: (line: RequestLogLine) => void; latency?: LatencyRecorder } = {}) {
  const write = options.write ?? ((line: RequestLogLine) => console.log(JSON.stringify(line)));
  const latency = options.latency ?? isolateLatency;
  return createMiddleware<AppBindings>(async function requestLog(c, next) {
    const started = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const route = routePath(c, -1) || "(unmatched)";
    latency.record(`${c.req.method} ${route}`, durationMs);
    const status = c.res.status;
    const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
    if (LEVELS[level] < LEVELS[configOf(c.env).LOG_LEVEL]) return;
    const userId = c.get("caller")?.userId;
    write({
      level,
      msg: "request",
      method: c.req.method,
      route,
      status,
      durationMs,
      requestId: c.get("requestId"),
      ...(userId ? { userId } : {}),
    });
  });
}
