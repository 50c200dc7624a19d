import { createRoute } from "@hono/zod-openapi";
import * as z from "zod";
import { adminRoute } from "../identity/admin-route";
import { jsonContent, problems } from "../../platform/openapi";

const checkState = z.enum(["ok", "error"]);
export const readinessSchema = z
  .object({
    status: z
      .enum(["ready", "degraded", "unavailable"])
      .openapi({ description: "`degraded`: a cache, a Durable Object or a provider fails, the rest answers" }),
    checks: z.object({ d1: checkState, kv: checkState, do: checkState }),
    breakers: z
      .record(z.string(), z.enum(["closed", "open", "half_open"]))
      .openapi({ description: "Circuit breakers of this isolate that are not closed" }),
    degraded: z.array(z.string()),
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
  summary: "Readiness: D1, KV and Durable Objects answer; open circuit breakers",
  responses: {
    200: jsonContent(readinessSchema, "Ready, or degraded: `degraded` names what fails"),
    503: jsonContent(readinessSchema, "D1 is down; `checks` says so"),
  },
});

export const latencySchema = z
  .object({
    scope: z.literal("isolate").openapi({
      description:
        "Percentiles of this isolate since it started; fleet-wide numbers come from Analytics Engine (docs/observability.md)",
    }),
    since: z.number().int().openapi({ description: "Epoch ms when this isolate started recording" }),
    routes: z.array(
      z.object({
        route: z.string(),
        group: z.string(),
        budgetMs: z.number(),
        count: z.number().int(),
        p50: z.number(),
        p95: z.number(),
        p99: z.number(),
        max: z.number(),
        dependencies: z.record(z.string(), z.number()).openapi({
          description: "Each dependency's share (0–1) of the route's total time",
          example: { d1: 0.31, kv: 0.02 },
        }),
        budgetBreaches: z
          .number()
          .int()
          .openapi({ description: "Requests over the group's budget or over a dependency's share of it" }),
      }),
    ),
  })
  .openapi("LatencyReport");

export const metrics = adminRoute("reports:read", {
  method: "get",
  path: "/v1/admin/metrics",
  tags: ["admin"],
  summary: "p50/p95/p99 latency, dependency shares and budget breaches per route, measured by the running service",
  responses: { 200: jsonContent(latencySchema, "Latency per route pattern"), ...problems(401, 403) },
});

const sloStatusSchema = z.object({
  name: z.string().openapi({ example: "checkout.availability" }),
  group: z.string(),
  objective: z.enum(["availability", "latency"]),
  budgetMs: z.number().optional(),
  target: z.number(),
  attainment: z.number().openapi({ description: "Good answers / all answers over the 6 h window (1 when idle)" }),
  errorBudgetRemaining: z
    .number()
    .openapi({ description: "1 = untouched, 0 = spent, below 0 = overspent (6 h window)" }),
  burnRate1h: z.number(),
  burnRate6h: z.number(),
  requests1h: z.number().int(),
  requests6h: z.number().int(),
  fastBurn: z
    .boolean()
    .openapi({ description: "Both windows above their fast-burn threshold: an `slo.burning` event was emitted" }),
});

export const sloReportSchema = z
  .object({
    scope: z.literal("isolate"),
    windows: z.tuple([z.literal("1h"), z.literal("6h")]),
    thresholds: z.object({ fastBurn1h: z.number(), fastBurn6h: z.number(), minRequests: z.number().int() }),
    slos: z.array(sloStatusSchema),
  })
  .openapi("SloReport");

export const slo = adminRoute("reports:read", {
  method: "get",
  path: "/v1/admin/slo",
  tags: ["admin"],
  summary: "Each SLO's target, attainment, error budget remaining and 1 h / 6 h burn rates",
  responses: { 200: jsonContent(sloReportSchema, "SLOs per route group"), ...problems(401, 403) },
});
