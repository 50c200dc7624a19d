import { describe, expect, it } from "vitest";
import { createTestApp } from "../test/helpers/test-app";
import type { RequestLogLine } from "./middleware/request-log";

const json = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  body,
  headers: { "Content-Type": "application/json", ...headers },
});

describe("the app's error mapping", () => {
  it("answers malformed JSON with a 400 problem", async () => {
    const { request } = createTestApp();
    const response = await request("/test/echo", json("{not json"));
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    const problem = await response.json<Record<string, unknown>>();
    expect(problem).toMatchObject({
      status: 400,
      title: expect.any(String),
      type: expect.stringContaining("/problems/"),
    });
    expect(problem.requestId).toBe(response.headers.get("X-Request-Id"));
  });

  it("answers wrong types and unknown fields with 400 and errors[] naming each path", async () => {
    const { request } = createTestApp();
    const response = await request("/test/echo", json(JSON.stringify({ name: "", quantity: "2", price: 1 })));
    expect(response.status).toBe(400);
    const problem = await response.json<{ errors: { path: string }[] }>();
    const paths = problem.errors.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "quantity"]));
    expect(problem.errors.length).toBeGreaterThanOrEqual(3);
  });

  it("answers an unknown route with a 404 problem", async () => {
    const { request } = createTestApp();
    const response = await request("/no/such/route");
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(response.headers.get("X-Request-Id")).toBeTruthy();
  });

  it("answers an unexpected error with a bare 500 that leaks nothing", async () => {
    const { request } = createTestApp();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (line: unknown) => errors.push(line);
    try {
      const response = await request("/test/boom");
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toMatch(/SELECT|secret|stack|at \w+/);
      expect(JSON.parse(text).requestId).toBe(response.headers.get("X-Request-Id"));
      expect(String(errors[0])).toContain("SELECT secret");
    } finally {
      console.error = original;
    }
  });

  it("answers a 2 MiB body with 413", async () => {
    const { request } = createTestApp();
    const big = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024), quantity: 1 });
    const response = await request("/test/echo", json(big));
    expect(response.status).toBe(413);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("answers a text/plain POST with 415", async () => {
    const { request } = createTestApp();
    const response = await request("/test/echo", {
      method: "POST",
      body: "name=x",
      headers: { "Content-Type": "text/plain" },
    });
    expect(response.status).toBe(415);
  });

  it("accepts a JSON body with a charset parameter", async () => {
    const { request } = createTestApp();
    const response = await request(
      "/test/echo",
      json(JSON.stringify({ name: "a", quantity: 1 }), { "Content-Type": "application/json; charset=utf-8" }),
    );
    expect(response.status).toBe(200);
  });
});

describe("headers on every answer", () => {
  it("keeps a well-formed inbound X-Request-Id and replaces a malformed one", async () => {
    const { request } = createTestApp();
    const kept = await request("/health", { headers: { "X-Request-Id": "abc-123_DEF" } });
    expect(kept.headers.get("X-Request-Id")).toBe("abc-123_DEF");
    const replaced = await request("/health", { headers: { "X-Request-Id": "<script>alert(1)</script>" } });
    expect(replaced.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sets Server-Timing, nosniff and no X-Powered-By, on errors too", async () => {
    const { request } = createTestApp();
    for (const response of [await request("/health"), await request("/nope"), await request("/test/boom")]) {
      expect(response.headers.get("Server-Timing")).toMatch(/total;dur=\d/);
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("X-Powered-By")).toBeNull();
      expect(response.headers.get("X-Request-Id")).toBeTruthy();
    }
  });

  it("answers traceparent on every response, continuing the caller's trace with Motor's span", async () => {
    const { request } = createTestApp();
    const caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    for (const path of ["/health", "/nope", "/test/boom"]) {
      const traceparent = (await request(path, { headers: { traceparent: caller } })).headers.get("traceparent");
      expect(traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      expect(traceparent).not.toBe(caller);
    }
    expect((await request("/health")).headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("logs one JSON line per request with the route pattern, status and request id", async () => {
    const lines: RequestLogLine[] = [];
    const { request } = createTestApp({ log: (line) => lines.push(line) });
    const response = await request("/test/echo", json(JSON.stringify({ name: "a", quantity: 1 })));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: "POST",
      route: "/test/echo",
      status: 200,
      requestId: response.headers.get("X-Request-Id"),
      traceId: response.headers.get("traceparent")?.split("-")[1],
    });
    expect(lines[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });
});
