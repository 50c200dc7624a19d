import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { captureLogs, executionContext } from "../../test/helpers/logs";
import { createTestApp } from "../../test/helpers/test-app";
import { createDatabase } from "../db/client";
import { outboxEvents } from "../db/schema";
import { newId } from "../platform/ids";
import { isolateLatency } from "../platform/latency";
import { sloBurningEventId } from "../modules/system/slo-alert";
import { eq } from "drizzle-orm";

let logs = captureLogs();
afterEach(() => logs.restore());

const withObservability = (settings: object) => ({ ...env, OBSERVABILITY: JSON.stringify(settings) });

describe("request telemetry", () => {
  it("logs one budget_exceeded line with route, budget, actual time and shares, and counts it", async () => {
    logs = captureLogs();
    const custom = withObservability({ routeGroups: [{ name: "probe", prefixes: ["/ready"], budgetMs: 0 }] });
    const before = isolateLatency.snapshot().find((route) => route.route === "GET /ready")?.budgetBreaches ?? 0;
    const response = await createTestApp().app.request("/ready", {}, custom);
    expect(response.status).toBe(200);
    const breaches = logs.json().filter((line) => line.msg === "budget_exceeded");
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      level: "warn",
      route: "GET /ready",
      group: "probe",
      budgetMs: 0,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(breaches[0]?.actualMs).toBeGreaterThan(0);
    expect(Object.keys(breaches[0]?.shares as object)).toEqual(expect.arrayContaining(["d1", "kv", "do"]));
    expect(isolateLatency.snapshot().find((route) => route.route === "GET /ready")?.budgetBreaches).toBe(before + 1);
  });

  it("flags a dependency over its share of the budget even when the request is within budget", async () => {
    logs = captureLogs();
    const custom = withObservability({
      routeGroups: [{ name: "probe", prefixes: ["/ready"], budgetMs: 60_000 }],
      dependencyShares: { d1: 1e-9 },
    });
    await createTestApp().app.request("/ready", {}, custom);
    const [breach] = logs.json().filter((line) => line.msg === "budget_exceeded");
    expect(breach).toMatchObject({ budgetMs: 60_000, overShare: ["d1"] });
  });

  it("writes no budget_exceeded line for a request within its budget", async () => {
    logs = captureLogs();
    await createTestApp().app.request(
      "/ready",
      {},
      withObservability({ routeGroups: [{ name: "probe", prefixes: ["/ready"], budgetMs: 60_000 }] }),
    );
    expect(logs.json().filter((line) => line.msg === "budget_exceeded")).toEqual([]);
  });

  it("samples successful request lines by trace id but always logs errors", async () => {
    logs = captureLogs();
    const custom = withObservability({ successLogSampleRate: 0 });
    const { app } = createTestApp();
    await app.request("/health", {}, custom);
    await app.request("/nope", {}, custom);
    const requests = logs.json().filter((line) => line.msg === "request");
    expect(requests.map((line) => line.status)).toEqual([404]);
  });

  it("writes only lines at or above LOG_LEVEL", async () => {
    logs = captureLogs();
    const { app } = createTestApp();
    const quiet = { ...env, LOG_LEVEL: "warn" };
    await app.request("/health", {}, quiet);
    await app.request("/nope", {}, quiet);
    expect(
      logs
        .json()
        .filter((line) => line.msg === "request")
        .map((line) => [line.level, line.status]),
    ).toEqual([["warn", 404]]);
  });

  it("emits one slo.burning event through the outbox when a group burns its error budget fast", async () => {
    logs = captureLogs();
    const group = `boom-${newId("req").slice(-8)}`;
    const custom = withObservability({
      routeGroups: [{ name: group, prefixes: ["/test/boom"], budgetMs: 60_000, availability: 0.99 }],
      slo: { minRequests: 3 },
    });
    const { app } = createTestApp();
    for (let attempt = 0; attempt < 4; attempt++) {
      const { ctx, settle } = executionContext();
      expect((await app.request("/test/boom", {}, custom, ctx)).status).toBe(500);
      await settle();
    }
    const id = sloBurningEventId(group, "availability", Date.now());
    const rows = await createDatabase(env.DB).select().from(outboxEvents).where(eq(outboxEvents.id, id)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: "slo.burning",
      data: { slo: `${group}.availability`, target: 0.99, fastBurn: true, requests1h: 3 },
    });
  });
});

describe("the Analytics Engine data point", () => {
  it("is bound in every environment, locally too", () => {
    expect(typeof env.METRICS?.writeDataPoint).toBe("function");
  });

  it("writes one point per request: route, group, status, duration, time per dependency, cache tier, colo, trace", async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const custom = {
      ...env,
      METRICS: {
        writeDataPoint: (point?: AnalyticsEngineDataPoint) => {
          if (point) points.push(point);
        },
      },
    };
    const response = await createTestApp().app.request("/ready", {}, custom);
    expect(points).toHaveLength(1);
    const [point] = points;
    expect(point?.indexes).toEqual(["GET /ready"]);
    expect(point?.blobs).toEqual([
      "GET /ready",
      "system",
      "GET",
      "",
      "",
      response.headers.get("traceparent")?.split("-")[1],
    ]);
    const [duration, status, budget, breached, d1, kv, durableObject] = point?.doubles ?? [];
    expect({ status, budget }).toEqual({ status: 200, budget: 50 });
    expect([0, 1]).toContain(breached);
    expect(duration).toBeGreaterThanOrEqual(d1 ?? 0);
    for (const spent of [d1, kv, durableObject]) expect(spent).toBeGreaterThanOrEqual(0);
  });
});
