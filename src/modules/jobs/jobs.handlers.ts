import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { auditOrigin } from "../../platform/origin";
import { recordAudit } from "../audit/audit.service";
import type * as routes from "./jobs.routes";
import { listFailedJobs as listFailed, replayFailedJob as replay } from "./jobs.service";

export const listFailedJobs: RouteHandler<typeof routes.listFailedJobs, AppBindings> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await listFailed(c.get("db"), c.req.valid("query")), 200);
};

export const replayFailedJob: RouteHandler<typeof routes.replayFailedJob, AppBindings> = async (c) => {
  const { id } = c.req.valid("param");
  const job = await c.get("timings").time("queue", () => replay(c.env, c.get("db"), id));
  await recordAudit(c.get("db"), auditOrigin(c), {
    action: "jobs.replayed",
    actorId: c.get("caller")?.userId,
    subject: id,
  });
  return c.json(job, 202);
};
