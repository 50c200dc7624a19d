import { createRoute, z } from "@hono/zod-openapi";
import { adminRoute } from "../identity/admin-route";
import { jsonContent, problems } from "../../platform/openapi";

const checkState = z.enum(["ok", "error"]);
export const readinessSchema = z
  .object({
    status: z.enum(["ready", "unavailable"]),
    checks: z.object({ d1: checkState, kv: checkState, do: checkState }),
  })
  .openapi("Readiness");

export const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness: the Worker answers",
  responses: { 200: jsonContent(z.object({ status: z.literal("ok") }).openapi("Health"), "Alive") },
});

export const ready = createRoute({
  method: "get",
  path: "/ready",
  tags: ["system"],
  summary: "Readiness: D1, KV and Durable Objects answer",
  responses: {
    200: jsonContent(readinessSchema, "Every dependency answers"),
    503: jsonContent(readinessSchema, "At least one dependency is down; `checks` names it"),
  },
});

export const latencySchema = z
  .object({
    scope: z.literal("isolate").openapi({ description: "Percentiles of this isolate since it started; fleet-wide numbers come from Workers Logs" }),
    since: z.number().int().openapi({ description: "Epoch ms when this isolate started recording" }),
    routes: z.array(
      z.object({ route: z.string(), count: z.number().int(), p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() }),
    ),
  })
  .openapi("LatencyReport");

export const metrics = adminRoute("reports:read", {
  method: "get",
  path: "/v1/admin/metrics",
  tags: ["admin"],
  summary: "p50/p95/p99 latency per route, measured by the running service",
  responses: { 200: jsonContent(latencySchema, "Latency per route pattern"), ...problems(401, 403) },
});
