/** Thin customer handlers: parse → service → shape; answers are personal data, never cached. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppBindings } from "../../platform/context";
import type * as routes from "./customers.routes";
import * as service from "./customers.service";

/** requireUser() ran before the handler, so the caller is set. */
function me(c: Context<AppBindings>): string {
  c.header("Cache-Control", "private, no-store");
  const caller = c.get("caller");
  if (!caller) throw new Error("requireUser() guards this route");
  return caller.userId;
}

export const listAddresses: RouteHandler<typeof routes.listAddresses, AppBindings> = async (c) =>
  c.json(await service.listAddresses(c.get("db"), me(c)), 200);

export const saveAddress: RouteHandler<typeof routes.saveAddress, AppBindings> = async (c) =>
  c.json(await service.saveAddress(c.get("db"), me(c), c.req.valid("json")), 201);

export const deleteAddress: RouteHandler<typeof routes.deleteAddress, AppBindings> = async (c) => {
  await service.deleteAddress(c.get("db"), me(c), c.req.valid("param").id);
  return c.body(null, 204);
};

export const listCustomers: RouteHandler<typeof routes.listCustomers, AppBindings> = async (c) => {
  c.header("Cache-Control", "private, no-store");
  return c.json(await service.listCustomers(c.get("db"), c.req.valid("query")), 200);
};

export const getCustomer: RouteHandler<typeof routes.getCustomer, AppBindings> = async (c) => {
  c.header("Cache-Control", "private, no-store");
  return c.json(await service.getCustomer(c.get("db"), c.req.valid("param").id), 200);
};
