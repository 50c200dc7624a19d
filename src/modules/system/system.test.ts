import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { ServerTimings } from "../../platform/timing";
import { checkReadiness } from "./system.service";

describe("system endpoints", () => {
  it("GET /health answers ok", async () => {
    const { status, body } = await callJson("/health");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok" });
  });

  it("GET /ready touches D1, KV and a Durable Object and answers 200", async () => {
    const { status, body, response } = await callJson("/ready");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ready", checks: { d1: "ok", kv: "ok", do: "ok" } });
    const timing = response.headers.get("Server-Timing") ?? "";
    for (const dependency of ["d1", "kv", "do"]) expect(timing).toMatch(new RegExp(`(^|, )${dependency};dur=`));
  });

  it("names the failing dependency when one is down", async () => {
    const brokenD1 = { prepare: () => { throw new Error("D1_ERROR: database unavailable"); } } as unknown as D1Database;
    const result = await checkReadiness({ ...env, DB: brokenD1 }, new ServerTimings());
    expect(result).toEqual({ ready: false, checks: { d1: "error", kv: "ok", do: "ok" } });
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
