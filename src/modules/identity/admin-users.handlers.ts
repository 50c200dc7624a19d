import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./admin-users.routes";
import { changeRole as changeUserRole } from "./admin-users.service";
import { identityContext } from "./identity.handlers";

export const changeRole: RouteHandler<typeof routes.changeRole, AppBindings> = async (c) => {
  const user = await changeUserRole(
    identityContext(c),
    c.get("caller")!.userId,
    c.req.valid("param").id,
    c.req.valid("json").role,
  );
  return c.json(user, 200);
};
