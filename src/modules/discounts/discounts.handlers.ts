/** Thin admin discount handlers: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { actorOf } from "../../platform/origin";
import type * as routes from "./discounts.routes";
import * as service from "./discounts.service";

export const createDiscount: RouteHandler<typeof routes.createDiscount, AppBindings> = async (c) =>
  c.json(await service.createDiscount(c.get("db"), actorOf(c), c.req.valid("json")), 201);

export const listDiscounts: RouteHandler<typeof routes.listDiscounts, AppBindings> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await service.listDiscounts(c.get("db"), c.req.valid("query")), 200);
};

export const updateDiscount: RouteHandler<typeof routes.updateDiscount, AppBindings> = async (c) =>
  c.json(await service.updateDiscount(c.get("db"), actorOf(c), c.req.valid("param").code, c.req.valid("json")), 200);
