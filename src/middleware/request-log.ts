/**
 * Request telemetry, measured once at the end of every request: the isolate's latency histogram
 * and dependency shares (GET /v1/admin/metrics), the latency budget of the route's group (one
 * `budget_exceeded` line when it is broken), the SLO counters (GET /v1/admin/slo, `slo.burning`),
 * one Analytics Engine data point, and one JSON log line. The log line carries the matched route
 * pattern (not the raw path, so ids do not explode cardinality) and the trace; in production
 * successful requests are sampled by trace id (`successLogSampleRate`), errors and breaches never.
 */
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppBindings } from "../platform/context";
import { configOf } from "../env";
import { isolateLatency, type LatencyRecorder } from "../platform/latency";
import { requestDataPoint } from "../platform/observability/analytics";
import { evaluateBudget } from "../platform/observability/budget";
import { log, logEnabled } from "../platform/observability/log";
import { isolateSlo } from "../platform/observability/slo";
import { sampledIn } from "../platform/observability/trace";
import { alertOnFastBurn } from "../modules/system/slo-alert";

export interface RequestLogLine {
  level: "info" | "warn" | "error";
  msg: "request";
  method: string;
  route: string;
  status: number;
  durationMs: number;
  requestId: string;
  traceId: string;
  spanId: string;
  userId?: string;
}

export const BUDGET_EXCEEDED = "budget_exceeded";

/** Hono throws when a request has no ExecutionContext (app.request in tests): then the work just runs. */
function waitUntil(c: { executionCtx: { waitUntil(work: Promise<unknown>): void } }, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    void work;
  }
}

export function requestLog(options: { write?: (line: RequestLogLine) => void; latency?: LatencyRecorder } = {}) {
  const write = options.write ?? ((line: RequestLogLine) => console.log(JSON.stringify(line)));
  const latency = options.latency ?? isolateLatency;
  return createMiddleware<AppBindings>(async function requestLog(c, next) {
    const started = performance.now();
    await next();
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    // configOf, not c.get("config"): this runs before requestContext sets it, and must not depend on it having run
    const settings = configOf(c.env);
    const config = settings.OBSERVABILITY;
    const pattern = routePath(c, -1) || "(unmatched)";
    const route = `${c.req.method} ${pattern}`;
    const status = c.res.status;
    const timings = c.get("timings");
    const dependencies = timings.durations();
    const budget = evaluateBudget(config, pattern, durationMs, dependencies);
    latency.record(route, durationMs, dependencies, budget.exceeded);
    isolateSlo.record(budget.group, status >= 500, durationMs > budget.budgetMs);
    const trace = c.get("trace");
    try {
      c.env.METRICS?.writeDataPoint(
        requestDataPoint({
          route,
          group: budget.group,
          method: c.req.method,
          status,
          durationMs,
          budgetMs: budget.budgetMs,
          breached: budget.exceeded,
          dependencies,
          cacheTier: timings.description("cache"),
          colo: c.req.raw.cf?.colo as string | undefined,
          traceId: trace.traceId,
        }),
      );
    } catch (error) {
      log.warn("analytics data point not written", { error });
    }
    if (budget.exceeded) {
      log.warn(BUDGET_EXCEEDED, {
        route,
        group: budget.group,
        budgetMs: budget.budgetMs,
        actualMs: durationMs,
        shares: budget.shares,
        overShare: budget.overShare,
      });
    }
    if (status >= 500 || budget.exceeded) alertOnFastBurn(c.env, settings, budget.group, (work) => waitUntil(c, work));

    const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
    if (!logEnabled(level)) return;
    if (level === "info" && !budget.exceeded && !sampledIn(trace.traceId, config.successLogSampleRate)) return;
    const userId = c.get("caller")?.userId;
    write({
      level,
      msg: "request",
      method: c.req.method,
      route: pattern,
      status,
      durationMs,
      requestId: c.get("requestId"),
      traceId: trace.traceId,
      spanId: trace.spanId,
      ...(userId ? { userId } : {}),
    });
  });
}
