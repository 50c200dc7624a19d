// `node bench/observability-cost.mjs` (through npm: `npm run bench:observability`): CPU time of the
// work observability adds to every request — trace context, budget evaluation, latency/dependency and
// SLO recording, the Analytics Engine data point, the sampled log-line decision — measured in a
// tight loop on the real modules (bundled with esbuild), apart from the I/O-bound HTTP benchmark.
import { build } from "esbuild";
import { ROOT } from "../scripts/lib/wrangler.mjs";

const entry = `
export { continueTrace, formatTraceparent, runInTrace, sampledIn, withTraceHeaders } from "./src/platform/observability/trace";
export { evaluateBudget } from "./src/platform/observability/budget";
export { observabilityConfig } from "./src/platform/observability/config";
export { requestDataPoint } from "./src/platform/observability/analytics";
export { SloRecorder } from "./src/platform/observability/slo";
export { LatencyRecorder } from "./src/platform/latency";
export { redactFields } from "./src/platform/observability/redact";
`;
const bundled = await build({
  stdin: { contents: entry, resolveDir: ROOT, loader: "ts" },
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
  logLevel: "error",
});
const m = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`);

const config = m.observabilityConfig.parse(undefined);
const latency = new m.LatencyRecorder();
const slo = new m.SloRecorder();
const header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const sink = [];

/** The per-request path of trace-context.ts + request-log.ts, minus I/O and the pre-existing work. */
function perRequest(i) {
  const trace = m.continueTrace(i % 2 ? header : undefined);
  return m.runInTrace(trace, () => {
    const dependencies = new Map([
      ["d1", 1.2],
      ["cache", 0.1],
    ]);
    const route = i % 3 ? "/v1/products" : "/v1/products/:idOrSlug";
    const durationMs = 2 + (i % 7);
    const budget = m.evaluateBudget(config, route, durationMs, dependencies);
    latency.record(`GET ${route}`, durationMs, dependencies, budget.exceeded);
    slo.record(budget.group, false, durationMs > budget.budgetMs);
    sink[i & 1023] = m.requestDataPoint({
      route: `GET ${route}`,
      group: budget.group,
      method: "GET",
      status: 200,
      durationMs,
      budgetMs: budget.budgetMs,
      breached: budget.exceeded,
      dependencies,
      cacheTier: "memory",
      colo: "AMS",
      traceId: trace.traceId,
    });
    if (m.sampledIn(trace.traceId, 0.1))
      sink[(i + 1) & 1023] = JSON.stringify({
        level: "info",
        msg: "request",
        traceId: trace.traceId,
        spanId: trace.spanId,
      });
    return m.formatTraceparent(trace);
  });
}

/** A warn line through the redacting logger (budget_exceeded, errors): paid only by those requests. */
function redactedLine(i) {
  return JSON.stringify(
    m.redactFields({
      route: "POST /v1/checkout",
      group: "checkout",
      budgetMs: 300,
      actualMs: 412 + (i % 5),
      shares: { d1: 0.53, payment: 0.6 },
      overShare: ["d1"],
      error: "payment provider answered 503 for buyer@example.test",
    }),
  );
}

function time(label, work, iterations = 200_000) {
  for (let i = 0; i < 20_000; i++) work(i); // warm-up: let the JIT optimise
  const runs = [];
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) work(i);
    runs.push(Number(process.hrtime.bigint() - started) / iterations / 1000);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} median ${runs[2].toFixed(2)} µs   min ${runs[0].toFixed(2)} µs`);
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
time("every request: trace + budget + metrics + AE + log", perRequest);
time("only logged problems: one redacted line", redactedLine, 50_000);
