/** Thin cart handlers: parse → service → the priced cart, never cached (it is per buyer and live). */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { answerCarriesSecret } from "../../middleware/idempotency";
import type { AppBindings } from "../../platform/context";
import { cartTtlMs, type CartContext } from "./cart.access";
import { cartEtagOf } from "./cart.etag";
import type { CartView } from "./cart.schemas";
import type * as routes from "./cart.routes";
import * as service from "./cart.service";
import { claimCart as claim } from "./cart-claim";
import { loadPricedCart, shippingQuotesOf } from "./cart-pricing";

function cartContext(c: Context<AppBindings>): CartContext {
  c.header("Cache-Control", "no-store");
  return { db: c.get("db"), caller: c.get("caller"), now: Date.now(), ttlMs: cartTtlMs(c.env) };
}

/** Every cart answer carries its version (strong ETag): checkout's `If-Match` names the cart the buyer agreed to. */
async function versioned(c: Context<AppBindings>, view: CartView): Promise<CartView> {
  c.header("ETag", await cartEtagOf(view));
  return view;
}

export const createCart: RouteHandler<typeof routes.createCart, AppBindings> = async (c) => {
  // an anonymous cart's id is its only credential: its answer is never stored for replay, or any
  // client presenting the same Idempotency-Key and body would be handed this cart (docs/security.md)
  if (!c.get("caller")) answerCarriesSecret(c);
  const priced = await service.createCart(cartContext(c), c.req.valid("json"));
  c.header("Location", `/v1/carts/${priced.cart.id}`);
  return c.json(await versioned(c, priced.view), 201);
};

export const getCart: RouteHandler<typeof routes.getCart, AppBindings> = async (c) => {
  const context = cartContext(c);
  const priced = await loadPricedCart(context.db, c.req.valid("param").id, context.caller, context);
  return c.json(await versioned(c, priced.view), 200);
};

export const listShippingOptions: RouteHandler<typeof routes.listShippingOptions, AppBindings> = async (c) => {
  const context = cartContext(c);
  const priced = await loadPricedCart(context.db, c.req.valid("param").id, context.caller, context);
  return c.json({ data: shippingQuotesOf(priced) }, 200);
};

export const updateCart: RouteHandler<typeof routes.updateCart, AppBindings> = async (c) =>
  c.json(
    await versioned(c, (await service.updateCart(cartContext(c), c.req.valid("param").id, c.req.valid("json"))).view),
    200,
  );

export const addItem: RouteHandler<typeof routes.addItem, AppBindings> = async (c) =>
  c.json(
    await versioned(c, (await service.addItem(cartContext(c), c.req.valid("param").id, c.req.valid("json"))).view),
    200,
  );

export const setItemQuantity: RouteHandler<typeof routes.setItemQuantity, AppBindings> = async (c) => {
  const { id, sku } = c.req.valid("param");
  return c.json(
    await versioned(c, (await service.setItemQuantity(cartContext(c), id, sku, c.req.valid("json").quantity)).view),
    200,
  );
};

export const removeItem: RouteHandler<typeof routes.removeItem, AppBindings> = async (c) => {
  const { id, sku } = c.req.valid("param");
  return c.json(await versioned(c, (await service.removeItem(cartContext(c), id, sku)).view), 200);
};

export const applyDiscount: RouteHandler<typeof routes.applyDiscount, AppBindings> = async (c) =>
  c.json(
    await versioned(
      c,
      (await service.applyDiscount(cartContext(c), c.req.valid("param").id, c.req.valid("json").code)).view,
    ),
    200,
  );

export const removeDiscount: RouteHandler<typeof routes.removeDiscount, AppBindings> = async (c) =>
  c.json(await versioned(c, (await service.removeDiscount(cartContext(c), c.req.valid("param").id)).view), 200);

export const claimCart: RouteHandler<typeof routes.claimCart, AppBindings> = async (c) =>
  c.json(await versioned(c, (await claim(cartContext(c), c.req.valid("param").id)).view), 200);
