import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { ServerTimings } from "../../platform/timing";
import { checkReadiness } from "./system.service";
import { createApp } from "../../app";
import { configOf } from "../../env";
import { breakersOf } from "../../platform/resilience/breakers";

describe("system endpoints", () => {
  it("GET /health answers ok", async () => {
    const { status, body } = await callJson("/health");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok" });
  });

  it("GET /ready touches D1, KV and a Durable Object and answers 200", async () => {
    const { status, body, response } = await callJson("/ready");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ready", checks: { d1: "ok", kv: "ok", do: "ok" }, breakers: {}, degraded: [] });
    const timing = response.headers.get("Server-Timing") ?? "";
    for (const dependency of ["d1", "kv", "do"]) expect(timing).toMatch(new RegExp(`(^|, )${dependency};dur=`));
  });

  it("is unavailable when D1 is down, naming it", async () => {
    const brokenD1 = { prepare: () => { throw new Error("D1_ERROR: database unavailable"); } } as unknown as D1Database;
    const result = await checkReadiness({ ...env, DB: brokenD1 }, configOf(env), new ServerTimings());
    expect(result).toEqual({ status: "unavailable", checks: { d1: "error", kv: "ok", do: "ok" }, breakers: {}, degraded: [] });
  });

  it("is degraded, not unavailable, when the KV cache is down", async () => {
    const brokenKv = { get: () => Promise.reject(new Error("KV GET failed: 503")) } as unknown as KVNamespace;
    const result = await checkReadiness({ ...env, CACHE: brokenKv }, configOf(env), new ServerTimings());
    expect(result).toMatchObject({ status: "degraded", checks: { d1: "ok", kv: "error", do: "ok" }, degraded: ["kv"] });
  });

  it("answers 200 degraded and names the provider whose breaker is open", async () => {
    const custom = { ...env, OBSERVABILITY: JSON.stringify({ breaker: { failureThreshold: 1, openMs: 60_000 } }) };
    await breakersOf(configOf(custom)).get("email").run(() => Promise.reject(new Error("email provider answered 503"))).catch(() => undefined);
    const response = await createApp().request("/ready", {}, custom);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "degraded", checks: { d1: "ok", kv: "ok", do: "ok" }, breakers: { email: "open" }, degraded: ["email"] });
  });

  it("serves an OpenAPI 3.1 document that declares the routes and the bearer scheme", async () => {
    const { status, body } = await callJson<{ openapi: string; paths: Record<string, unknown>; components: { securitySchemes: object } }>("/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(["/health", "/ready"]));
    expect(body.components.securitySchemes).toHaveProperty("bearerAuth");
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
    const { status, body } = await callJson<{ scope: string; routes: { route: string; count: number; p99: number }[] }>("/v1/admin/metrics", { token: staff.token });
    expect(status).toBe(200);
    expect(body.scope).toBe("isolate");
    const health = body.routes.find((route) => route.route === "GET /health");
    expect(health?.count).toBeGreaterThanOrEqual(1);
    expect(health?.p99).toBeGreaterThanOrEqual(0);
  });
});
