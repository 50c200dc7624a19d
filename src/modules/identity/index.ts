/** Identity wiring: account endpoints, /v1/me, JWKS and the admin role endpoint. */
import { createRouter } from "../../platform/openapi";
import * as adminHandlers from "./admin-users.handlers";
import * as adminRoutes from "./admin-users.routes";
import * as handlers from "./identity.handlers";
import * as routes from "./identity.routes";

export const identityRouter = createRouter()
  .openapi(routes.register, handlers.register)
  .openapi(routes.login, handlers.login)
  .openapi(routes.refresh, handlers.refresh)
  .openapi(routes.logout, handlers.logout)
  .openapi(routes.forgotPassword, handlers.forgotPassword)
  .openapi(routes.resetPassword, handlers.resetPassword)
  .openapi(routes.me, handlers.me)
  .openapi(routes.jwks, handlers.jwks)
  .openapi(adminRoutes.changeRole, adminHandlers.changeRole);
