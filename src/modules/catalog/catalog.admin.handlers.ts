import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { actorOf } from "../../platform/origin";
import type * as routes from "./catalog.admin.routes";
import * as admin from "./catalog.admin.service";

export const createProduct: RouteHandler<typeof routes.createProduct, AppBindings> = async (c) =>
  c.json(await admin.createProduct(c.get("db"), actorOf(c), c.req.valid("json")), 201);

export const updateProduct: RouteHandler<typeof routes.updateProduct, AppBindings> = async (c) =>
  c.json(await admin.updateProduct(c.get("db"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200);

export const putVariant: RouteHandler<typeof routes.putVariant, AppBindings> = async (c) => {
  const { id, sku } = c.req.valid("param");
  const { created, product } = await admin.putVariant(c.get("db"), actorOf(c), id, sku, c.req.valid("json"));
  return created ? c.json(product, 201) : c.json(product, 200);
};

export const createCategory: RouteHandler<typeof routes.createCategory, AppBindings> = async (c) =>
  c.json(await admin.createCategory(c.get("db"), actorOf(c), c.req.valid("json")), 201);
