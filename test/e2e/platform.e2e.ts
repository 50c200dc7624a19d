import { describe, expect, inject, it } from "vitest";
import { renderServedDocument } from "../../scripts/lib/render-openapi.mjs";
import { request } from "./http";

describe("the platform over HTTP (wrangler dev)", () => {
  it("is ready: D1, KV and Durable Objects answer", async () => {
    const { status, body } = await request("/ready");
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ready", checks: { d1: "ok", kv: "ok", do: "ok" }, breakers: {}, degraded: [] });
  });

  it("continues the caller's W3C trace and answers its traceparent, on a 404 too", async () => {
    for (const path of ["/health", "/v1/nope"]) {
      const { headers } = await request(path, {
        headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
      });
      expect(headers.get("traceparent")).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    }
  });

  it("answers bad input with 4xx problems carrying the request id", async () => {
    const cases = [
      { path: "/v1/nope", init: {}, status: 404 },
      {
        path: "/health",
        init: { method: "POST", body: "hello", headers: { "Content-Type": "text/plain" } },
        status: 415,
      },
      {
        path: "/health",
        init: { method: "POST", body: "x".repeat(2 * 1024 * 1024), headers: { "Content-Type": "application/json" } },
        status: 413,
      },
    ];
    for (const { path, init, status } of cases) {
      const response = await request(path, init);
      expect(response.status, `${init.method ?? "GET"} ${path}`).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.body.requestId).toBe(response.headers.get("x-request-id"));
    }
  });

  it("puts X-Request-Id, Server-Timing and nosniff on every answer, never X-Powered-By", async () => {
    const { headers } = await request("/health");
    expect(headers.get("x-request-id")).toBeTruthy();
    expect(headers.get("server-timing")).toContain("total;dur=");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("x-powered-by")).toBeNull();
  });

  it("serves the OpenAPI document and the docs page", async () => {
    const spec = await request("/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.1.0");
    const docs = await fetch(`${inject("baseUrl")}/docs`);
    expect(docs.status).toBe(200);
  });

  it("serves, byte for byte, the OpenAPI document the route declarations generate now", async () => {
    // the Worker serves a document rendered at build time (src/platform/openapi-document.ts): a
    // build that missed a route or schema change would serve a stale contract
    const served = await fetch(`${inject("baseUrl")}/openapi.json`);
    expect(served.headers.get("content-type")).toBe("application/json");
    expect(await served.text()).toBe(renderServedDocument());
  });
});
