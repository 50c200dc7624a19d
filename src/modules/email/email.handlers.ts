import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./email.routes";
import { listSentEmails } from "./email.service";

export const listEmails: RouteHandler<typeof routes.listEmails, AppBindings> = async (c) => {
  const page = await listSentEmails(c.get("db"), c.req.valid("query"));
  c.header("Cache-Control", "no-store");
  return c.json(page, 200);
};
