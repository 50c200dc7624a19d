import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./audit.routes";
import { auditPage } from "./audit.service";

export const listAudit: RouteHandler<typeof routes.listAudit, AppBindings> = async (c) => {
  const page = await auditPage(c.get("db"), c.req.valid("query"));
  c.header("Cache-Control", "no-store");
  return c.json(page, 200);
};
