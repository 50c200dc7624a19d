import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent } from "../../platform/openapi";

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
