/** Thin cart handlers: parse → service → the priced cart, never cached (it is per buyer and live). */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppBindings } from "../../platform/context";
import { cartTtlMs, type CartContext } from "./cart.access";
import type * as routes from "./cart.routes";
import * as service from "./cart.service";
import { claimCart as claim } from "./cart-claim";
import { loadPricedCart, shippingQuotesOf } from "./cart-pricing";

function cartContext(c: Context<AppBindings>): CartContext {
  c.header("Cache-Control", "no-store");
  return { db: c.get("db"), caller: c.get("caller"), now: Date.now(), ttlMs: cartTtlMs(c.env) };
}

export const createCart: RouteHandler<typeof routes.createCart, AppBindings> = async (c) => {
  const priced = await service.createCart(cartContext(c), c.req.valid("json"));
  c.header("Location", `/v1/carts/${priced.cart.id}`);
  return c.json(priced.view, 201);
};

export const getCart: RouteHandler<typeof routes.getCart, AppBindings> = async (c) => {
  const context = cartContext(c);
  const priced = await loadPricedCart(context.db, c.req.valid("param").id, context.caller, context);
  return c.json(priced.view, 200);
};

export const listShippingOptions: RouteHandler<typeof routes.listShippingOptions, AppBindings> = async (c) => {
  const context = cartContext(c);
  const priced = await loadPricedCart(context.db, c.req.valid("param").id, context.caller, context);
  return c.json({ data: shippingQuotesOf(priced) }, 200);
};

export const updateCart: RouteHandler<typeof routes.updateCart, AppBindings> = async (c) =>
  c.json((await service.updateCart(cartContext(c), c.req.valid("param").id, c.req.valid("json"))).view, 200);

export const addItem: RouteHandler<typeof routes.addItem, AppBindings> = async (c) =>
  c.json((await service.addItem(cartContext(c), c.req.valid("param").id, c.req.valid("json"))).view, 200);

export const setItemQuantity: RouteHandler<typeof routes.setItemQuantity, AppBindings> = async (c) => {
  const { id, sku } = c.req.valid("param");
  return c.json((await service.setItemQuantity(cartContext(c), id, sku, c.req.valid("json").quantity)).view, 200);
};

export const removeItem: RouteHandler<typeof routes.removeItem, AppBindings> = async (c) => {
  const { id, sku } = c.req.valid("param");
  return c.json((await service.removeItem(cartContext(c), id, sku)).view, 200);
};

export const applyDiscount: RouteHandler<typeof routes.applyDiscount, AppBindings> = async (c) =>
  c.json((await service.applyDiscount(cartContext(c), c.req.valid("param").id, c.req.valid("json").code)).view, 200);

export const removeDiscount: RouteHandler<typeof routes.removeDiscount, AppBindings> = async (c) =>
  c.json((await service.removeDiscount(cartContext(c), c.req.valid("param").id)).view, 200);

export const claimCart: RouteHandler<typeof routes.claimCart, AppBindings> = async (c) =>
  c.json((await claim(cartContext(c), c.req.valid("param").id)).view, 200);
