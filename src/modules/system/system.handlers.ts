import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { isolateLatency } from "../../platform/latency";
import type * as routes from "./system.routes";
import { checkReadiness } from "./system.service";

export const health: RouteHandler<typeof routes.health, AppBindings> = (c) => c.json({ status: "ok" as const }, 200);

export const ready: RouteHandler<typeof routes.ready, AppBindings> = async (c) => {
  const { ready, checks } = await checkReadiness(c.env, c.get("timings"));
  c.header("Cache-Control", "no-store");
  return ready ? c.json({ status: "ready" as const, checks }, 200) : c.json({ status: "unavailable" as const, checks }, 503);
};

export const metrics: RouteHandler<typeof routes.metrics, AppBindings> = (c) => {
  c.header("Cache-Control", "no-store");
  return c.json({ scope: "isolate" as const, since: isolateLatency.since, routes: isolateLatency.snapshot() }, 200);
};
