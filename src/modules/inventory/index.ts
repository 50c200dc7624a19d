import { createRouter } from "../../platform/openapi";
import * as handlers from "./inventory.handlers";
import * as routes from "./inventory.routes";

export const inventoryRouter = createRouter()
  .openapi(routes.getStock, handlers.getStock)
  .openapi(routes.setStock, handlers.setStock)
  .openapi(routes.setShards, handlers.setShards);
