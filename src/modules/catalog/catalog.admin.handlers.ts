import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { actorOf } from "../../platform/origin";
import type * as routes from "./catalog.admin.routes";
import * as admin from "./catalog.admin.service";
import { listAdminProducts } from "./catalog.admin.list";
import * as categories from "./catalog.categories.service";

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

export const listProducts: RouteHandler<typeof routes.listProducts, AppBindings> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await listAdminProducts(c.get("db"), c.req.valid("query")), 200);
};

export const updateCategory: RouteHandler<typeof routes.updateCategory, AppBindings> = async (c) =>
  c.json(await categories.updateCategory(c.get("db"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteCategory: RouteHandler<typeof routes.deleteCategory, AppBindings> = async (c) => {
  await categories.deleteCategory(
    c.get("db"),
    actorOf(c),
    c.req.valid("param").id,
    c.req.valid("query").unlink === "true",
  );
  return c.body(null, 204);
};
