/** Thin admin tax rule handlers: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { actorOf } from "../../platform/origin";
import type * as routes from "./tax-rules.routes";
import * as service from "./tax-rules.service";

export const createTaxRule: RouteHandler<typeof routes.createTaxRule, AppBindings> = async (c) =>
  c.json(await service.createTaxRule(c.get("db"), actorOf(c), c.req.valid("json")), 201);

export const listTaxRules: RouteHandler<typeof routes.listTaxRules, AppBindings> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await service.listTaxRules(c.get("db"), c.req.valid("query")), 200);
};

export const updateTaxRule: RouteHandler<typeof routes.updateTaxRule, AppBindings> = async (c) =>
  c.json(await service.updateTaxRule(c.get("db"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteTaxRule: RouteHandler<typeof routes.deleteTaxRule, AppBindings> = async (c) => {
  await service.deleteTaxRule(c.get("db"), actorOf(c), c.req.valid("param").id);
  return c.body(null, 204);
};
