import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./catalog.routes";
import * as catalog from "./catalog.service";

export const listProducts: RouteHandler<typeof routes.listProducts, AppBindings> = async (c) =>
  c.json(await catalog.listProducts(c.get("db"), c.req.valid("query")), 200);

export const getProduct: RouteHandler<typeof routes.getProduct, AppBindings> = async (c) =>
  c.json(await catalog.getProduct(c.get("db"), c.req.valid("param").idOrSlug, c.req.valid("query").currency), 200);

export const listCategories: RouteHandler<typeof routes.listCategories, AppBindings> = async (c) =>
  c.json(await catalog.listCategories(c.get("db")), 200);
