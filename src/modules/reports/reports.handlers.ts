import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./reports.routes";
import { readDailyReport } from "./reports.service";

export const dailyReport: RouteHandler<typeof routes.dailyReport, AppBindings> = async (c) => {
  const report = await readDailyReport(c.get("db"), c.req.valid("query").date);
  c.header("Cache-Control", "no-store");
  return c.json(report, 200);
};
