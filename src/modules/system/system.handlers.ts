import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./system.routes";
import { metricsReport, sloReport } from "./system.metrics";
import { checkReadiness } from "./system.service";

export const health: RouteHandler<typeof routes.health, AppBindings> = (c) => c.json({ status: "ok" as const }, 200);

export const ready: RouteHandler<typeof routes.ready, AppBindings> = async (c) => {
  const readiness = await checkReadiness(c.env, c.get("config"), c.get("timings"));
  c.header("Cache-Control", "no-store");
  return readiness.status === "unavailable"
    ? c.json({ ...readiness, status: "unavailable" as const }, 503)
    : c.json({ ...readiness, status: readiness.status }, 200);
};

export const metrics: RouteHandler<typeof routes.metrics, AppBindings> = (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(metricsReport(c.get("config")), 200);
};

export const slo: RouteHandler<typeof routes.slo, AppBindings> = (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(sloReport(c.get("config")), 200);
};
