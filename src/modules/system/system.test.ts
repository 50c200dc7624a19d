import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { declaredOperations } from "../../../test/helpers/declared-routes";
import { callJson } from "../../../test/helpers/http";
import { ServerTimings } from "../../platform/timing";
import { checkReadiness } from "./system.service";
import { createApp } from "../../app";
import { configOf } from "../../env";
import { breakersOf } from "../../platform/resilience/breakers";

// Breakers are isolate state, and test files share the isolate: this file's env copy has a config, and so
// breakers, of its own, as a fresh isolate would
const freshEnv = { ...env };

describe("system endpoints", () => {
  it("GET /health answers ok", async () => {
    const { status, body } = await callJson("/health");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok" });
  });

  it("GET /ready touches D1, KV and a Durable Object and answers 200", async () => {
    const response = await createApp().request("/ready", {}, freshEnv);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ready",
      checks: { d1: "ok", kv: "ok", do: "ok" },
      breakers: {},
      degraded: [],
    });
    const timing = response.headers.get("Server-Timing") ?? "";
    for (const dependency of ["d1", "kv", "do"]) expect(timing).toMatch(new RegExp(`(^|, )${dependency};dur=`));
  });

  it("is unavailable when D1 is down, naming it", async () => {
    const brokenD1 = {
      prepare: () => {
        throw new Error("D1_ERROR: database unavailable");
      },
    } as unknown as D1Database;
    const result = await checkReadiness({ ...env, DB: brokenD1 }, configOf(freshEnv), new ServerTimings());
    expect(result).toEqual({
      status: "unavailable",
      checks: { d1: "error", kv: "ok", do: "ok" },
      breakers: {},
      degraded: [],
    });
  });

  it("is degraded, not unavailable, when the KV cache is down", async () => {
    const brokenKv = { get: () => Promise.reject(new Error("KV GET failed: 503")) } as unknown as KVNamespace;
    const result = await checkReadiness({ ...env, CACHE: brokenKv }, configOf(freshEnv), new ServerTimings());
    expect(result).toMatchObject({ status: "degraded", checks: { d1: "ok", kv: "error", do: "ok" }, degraded: ["kv"] });
  });

  it("answers 200 degraded and names the provider whose breaker is open", async () => {
    const custom = { ...env, OBSERVABILITY: JSON.stringify({ breaker: { failureThreshold: 1, openMs: 60_000 } }) };
    await breakersOf(configOf(custom))
      .get("email")
      .run(() => Promise.reject(new Error("email provider answered 503")))
      .catch(() => undefined);
    const response = await createApp().request("/ready", {}, custom);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "degraded",
      checks: { d1: "ok", kv: "ok", do: "ok" },
      breakers: { email: "open" },
      degraded: ["email"],
    });
  });

  it("serves an OpenAPI 3.1 document that declares the routes and the bearer scheme", async () => {
    const { status, body } = await callJson<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: object };
    }>("/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(["/health", "/ready"]));
    expect(body.components.securitySchemes).toHaveProperty("bearerAuth");
  });

  it("serves a document with exactly the operations the app declares", async () => {
    // the document is rendered at build time (src/platform/openapi-document.ts); a route added
    // or removed since is caught here, in the unit tests, as well as byte for byte in the e2e tests
    const { body } = await callJson<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json");
    const served = Object.entries(body.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.sort()).toEqual(declaredOperations(createApp()).sort());
  });

  it("keeps its named schemas non-nullable: a field that may be null says so itself", async () => {
    // a `.nullable()` of a named schema made the component nullable in every field (src/platform/nullable.ts)
    type Schema = { type?: unknown; properties?: Record<string, unknown> };
    const { body } = await callJson<{ components: { schemas: Record<string, Schema> } }>("/openapi.json");
    const schemas = body.components.schemas;
    const nullable = Object.keys(schemas).filter((name) => JSON.stringify(schemas[name]?.type ?? "").includes("null"));
    expect(nullable).toEqual([]);
    expect(schemas.Variant?.properties?.price).toMatchObject({
      anyOf: [{ $ref: "#/components/schemas/Money" }, { type: "null" }],
    });
    expect(schemas.Order?.properties?.total).toEqual({ $ref: "#/components/schemas/Money" });
  });

  it("serves the interactive reference at /docs", async () => {
    const { call } = await import("../../../test/helpers/http");
    const response = await call("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(await response.text()).toContain("/openapi.json");
  });

  it("reports per-route latency percentiles to staff, not to customers", async () => {
    await callJson("/health");
    const staff = await createUser("staff");
    const customer = await createUser("customer");
    expect((await callJson("/v1/admin/metrics")).status).toBe(401);
    expect((await callJson("/v1/admin/metrics", { token: customer.token })).status).toBe(403);
    const { status, body } = await callJson<{ scope: string; routes: { route: string; count: number; p99: number }[] }>(
      "/v1/admin/metrics",
      { token: staff.token },
    );
    expect(status).toBe(200);
    expect(body.scope).toBe("isolate");
    const health = body.routes.find((route) => route.route === "GET /health");
    expect(health?.count).toBeGreaterThanOrEqual(1);
    expect(health?.p99).toBeGreaterThanOrEqual(0);
  });

  it("reports each route's group, budget, time share per dependency and budget breaches", async () => {
    await callJson("/ready"); // touches D1, KV and a Durable Object
    const staff = await createUser("staff");
    const { body } = await callJson<{
      routes: {
        route: string;
        group: string;
        budgetMs: number;
        dependencies: Record<string, number>;
        budgetBreaches: number;
      }[];
    }>("/v1/admin/metrics", { token: staff.token });
    const ready = body.routes.find((route) => route.route === "GET /ready");
    const system = configOf(env).OBSERVABILITY.routeGroups.find((group) => group.name === "system");
    expect(ready).toMatchObject({ group: "system", budgetMs: system?.budgetMs, budgetBreaches: expect.any(Number) });
    expect(Object.keys(ready!.dependencies)).toEqual(expect.arrayContaining(["d1", "kv", "do"]));
    for (const share of Object.values(ready!.dependencies)) expect(share).toBeGreaterThanOrEqual(0);
  });

  it("reports every route group's availability and latency SLOs to staff, counting this isolate's requests", async () => {
    const staff = await createUser("staff");
    const customer = await createUser("customer");
    expect((await callJson("/v1/admin/slo")).status).toBe(401);
    expect((await callJson("/v1/admin/slo", { token: customer.token })).status).toBe(403);
    type Slo = {
      name: string;
      target: number;
      attainment: number;
      errorBudgetRemaining: number;
      burnRate1h: number;
      burnRate6h: number;
      requests1h: number;
      fastBurn: boolean;
    };
    const sloReport = async () =>
      (await callJson<{ windows: string[]; slos: Slo[] }>("/v1/admin/slo", { token: staff.token })).body;
    const before = await sloReport();
    await callJson("/health");
    await callJson("/health");
    const after = await sloReport();
    const groups = configOf(env).OBSERVABILITY.routeGroups;
    expect(after.windows).toEqual(["1h", "6h"]);
    expect(after.slos.map((slo) => slo.name).sort()).toEqual(
      groups.flatMap((group) => [`${group.name}.availability`, `${group.name}.latency`]).sort(),
    );
    const [was, now] = [before, after].map((report) => report.slos.find((slo) => slo.name === "system.availability")!);
    expect(now).toMatchObject({
      target: groups.find((group) => group.name === "system")!.availability,
      fastBurn: false,
    });
    expect(now!.requests1h).toBe(was!.requests1h + 2);
    for (const field of ["attainment", "errorBudgetRemaining", "burnRate1h", "burnRate6h"] as const)
      expect(now![field]).toEqual(expect.any(Number));
  });
});
