import { createMessageBatch, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { captureLogs, executionContext } from "../../test/helpers/logs";
import { jobMessage } from "../../test/helpers/queue";
import { createTestApp } from "../../test/helpers/test-app";
import type { JobMessage } from "../queues/messages";
import worker from "../index";
import type { Env } from "../env";
import { DependencyError } from "./errors";
import { guardedContext } from "./last-resort";
import { continueTrace, runInTrace } from "./observability/trace";

let logs: ReturnType<typeof captureLogs> | undefined;
afterEach(() => logs?.restore());

/** An env whose ASSETS binding throws: the one call the entry makes before the app's own error handler. */
const brokenAssets = {
  ...env,
  ASSETS: { fetch: () => Promise.reject(new Error("ASSETS at /srv/secret/path exploded")) },
} as unknown as Env;

describe("the Worker entry's last resort", () => {
  it("answers what throws outside Hono with a problem+json 500: request id, traceparent, security headers, no stack", async () => {
    logs = captureLogs();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const request = new Request("http://motor.test/assets/app.js", {
      headers: { "X-Request-Id": "client-id-1", traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    const response = await worker.fetch(request, brokenAssets, executionContext().ctx);
    expect(response.status).toBe(500);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(response.headers.get("X-Request-Id")).toBe("client-id-1");
    expect(response.headers.get("traceparent")).toContain(traceId);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, requestId: "client-id-1", title: "Internal error" });
    expect(text).not.toMatch(/srv|secret|exploded|at \w+/);
    const lines = logs.json().filter((line) => line.msg === "unhandled error");
    expect(lines).toEqual([
      expect.objectContaining({ level: "error", escaped: "fetch", requestId: "client-id-1", traceId }),
    ]);
  });

  it("replaces a malformed inbound request id, as the app does", async () => {
    logs = captureLogs();
    const request = new Request("http://motor.test/assets/app.js", { headers: { "X-Request-Id": "<script>" } });
    const response = await worker.fetch(request, brokenAssets, executionContext().ctx);
    const { requestId } = await response.json<{ requestId: string }>();
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("X-Request-Id")).toBe(requestId);
  });

  it("logs waitUntil work that rejects, with the trace of the request that registered it", async () => {
    logs = captureLogs();
    const { ctx, settle } = executionContext();
    const trace = continueTrace(undefined);
    runInTrace(trace, () => guardedContext(ctx).waitUntil(Promise.reject(new Error("late write failed"))));
    await settle();
    expect(logs.json().filter((line) => line.msg === "unhandled error")).toEqual([
      expect.objectContaining({
        level: "error",
        escaped: "waitUntil",
        error: "Error: late write failed",
        traceId: trace.traceId,
      }),
    ]);
  });

  it("keeps the rest of the execution context working (passThroughOnException, props)", () => {
    const { ctx } = executionContext();
    const guarded = guardedContext(ctx);
    expect(() => guarded.passThroughOnException()).not.toThrow();
    expect(guarded.props).toBe(ctx.props);
  });

  it("logs a cron run that throws before any job runs, and rethrows so the platform records the failure", async () => {
    logs = captureLogs();
    const misconfigured = { ...env, LOG_LEVEL: "shouting" } as unknown as Env;
    await expect(worker.scheduled(createScheduledController({ cron: "* * * * *" }), misconfigured)).rejects.toThrow();
    expect(logs.json().filter((line) => line.msg === "unhandled error")).toEqual([
      expect.objectContaining({ level: "error", escaped: "scheduled", cron: "* * * * *" }),
    ]);
  });

  it("logs a queue batch that throws before its messages are dispatched, and rethrows so the batch is retried", async () => {
    logs = captureLogs();
    const misconfigured = { ...env, LOG_LEVEL: "shouting" } as unknown as Env;
    const batch = createMessageBatch<JobMessage>("motor-jobs", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: jobMessage("order.created") },
    ]);
    await expect(worker.queue(batch, misconfigured)).rejects.toThrow();
    expect(logs.json().filter((line) => line.msg === "unhandled error")).toEqual([
      expect.objectContaining({ level: "error", escaped: "queue", queue: "motor-jobs", messages: 1 }),
    ]);
  });
});

describe("what the app logs as unhandled", () => {
  it("logs an outcome it chose (a dependency error) at warn with its outcome, not as an unhandled error", async () => {
    logs = captureLogs();
    const { request } = createTestApp({
      boom: new DependencyError({
        detail: "The payment's outcome is unknown",
        cause: new Error("provider timed out"),
        headers: { "Retry-After": "2" },
      }),
    });
    const response = await request("/test/boom");
    expect(response.status).toBe(503);
    const lines = logs.json();
    expect(lines.filter((line) => line.msg === "unhandled error")).toEqual([]);
    expect(lines.filter((line) => line.msg === "request failed")).toEqual([
      expect.objectContaining({
        level: "warn",
        outcome: "dependency-unavailable",
        status: 503,
        cause: "Error: provider timed out",
      }),
    ]);
    expect(lines.find((line) => line.msg === "request failed")).not.toHaveProperty("stack");
  });

  it("still logs a bug (anything that is not an AppError) as an unhandled error with its stack", async () => {
    logs = captureLogs();
    const { request } = createTestApp();
    expect((await request("/test/boom")).status).toBe(500);
    expect(logs.json().filter((line) => line.msg === "unhandled error")).toEqual([
      expect.objectContaining({ level: "error", stack: expect.stringContaining("SELECT secret") }),
    ]);
  });
});
