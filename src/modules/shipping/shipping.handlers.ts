/** Thin admin shipping handlers: parse → service → shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppBindings } from "../../platform/context";
import { actorOf } from "../../platform/origin";
import type * as routes from "./shipping.routes";
import * as service from "./shipping.service";

export const listZones: RouteHandler<typeof routes.listZones, AppBindings> = async (c) =>
  c.json(await service.listZones(c.get("db")), 200);

export const createZone: RouteHandler<typeof routes.createZone, AppBindings> = async (c) =>
  c.json(await service.createZone(c.get("db"), actorOf(c), c.req.valid("json")), 201);

export const updateZone: RouteHandler<typeof routes.updateZone, AppBindings> = async (c) =>
  c.json(await service.updateZone(c.get("db"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteZone: RouteHandler<typeof routes.deleteZone, AppBindings> = async (c) => {
  await service.deleteZone(c.get("db"), actorOf(c), c.req.valid("param").id);
  return c.body(null, 204);
};

export const listOptions: RouteHandler<typeof routes.listOptions, AppBindings> = async (c) =>
  c.json(await service.listOptions(c.get("db"), c.req.valid("query").zoneId), 200);

export const createOption: RouteHandler<typeof routes.createOption, AppBindings> = async (c) =>
  c.json(await service.createOption(c.get("db"), actorOf(c), c.req.valid("json")), 201);

export const getOption: RouteHandler<typeof routes.getOption, AppBindings> = async (c) =>
  c.json(await service.getOption(c.get("db"), c.req.valid("param").id), 200);

export const updateOption: RouteHandler<typeof routes.updateOption, AppBindings> = async (c) =>
  c.json(await service.updateOption(c.get("db"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteOption: RouteHandler<typeof routes.deleteOption, AppBindings> = async (c) => {
  await service.deleteOption(c.get("db"), actorOf(c), c.req.valid("param").id);
  return c.body(null, 204);
};
