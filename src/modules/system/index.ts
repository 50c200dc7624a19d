import { createRouter } from "../../platform/openapi";
import * as handlers from "./system.handlers";
import * as routes from "./system.routes";

export const systemRouter = createRouter()
  .openapi(routes.health, handlers.health)
  .openapi(routes.ready, handlers.ready)
  .openapi(routes.metrics, handlers.metrics)
  .openapi(routes.slo, handlers.slo);
