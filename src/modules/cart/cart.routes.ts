/**
 * Cart contracts: every status each route can answer. All answers are the complete priced cart.
 * Every write answers 409 while a checkout holds the cart (`checkout-in-progress` + Retry-After;
 * `cart-checked-out` once it became an order): see cart-lock.ts.
 */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { requireUser } from "../../middleware/auth";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import {
  addItemSchema,
  applyDiscountSchema,
  cartIdParamsSchema,
  cartItemParamsSchema,
  cartSchema,
  createCartSchema,
  setQuantitySchema,
  shippingQuoteListSchema,
  updateCartSchema,
} from "./cart.schemas";

/** Every cart answer names the cart's version: send it back as checkout's `If-Match` (docs/checkout.md). */
const cartVersion = {
  ETag: {
    description:
      "The cart's version (strong): changes whenever anything in the answer changes — lines, prices, discount, shipping, tax, address",
    schema: { type: "string" as const },
  },
};
const cartAnswer = { ...jsonContent(cartSchema, "The cart, priced by the server"), headers: cartVersion };
/** Problems of every route that writes a JSON body (malformed 400, bad token 401, too big 413, not JSON 415). */
const BODY_PROBLEMS = [400, 401, 413, 415];

/** A route under /v1/carts that answers 200 with the priced cart. */
function cartRoute<
  const M extends RouteConfig["method"],
  const P extends string,
  const Q extends RouteConfig["request"],
>(method: M, path: P, summary: string, request: Q, statuses: number[], description?: string) {
  return createRoute({
    method,
    path,
    tags: ["cart"],
    summary,
    ...(description ? { description } : {}),
    request,
    responses: { 200: cartAnswer, ...problems(...statuses) },
  });
}

/** What every cart write says about its 409 (docs/pricing.md, "Carts during a checkout"). */
const LOCKED =
  "409 `checkout-in-progress` (with `Retry-After`) while a checkout of this cart is in progress: " +
  "the cart cannot change until that checkout ends (wait, or retry it with its Idempotency-Key); " +
  "409 `cart-checked-out` when the cart has just become an order. A failed checkout frees the cart.";

export const createCart = createRoute({
  method: "post",
  path: "/v1/carts",
  tags: ["cart"],
  summary: "Create a cart (owned by the caller when a bearer token is sent, else anonymous)",
  // every field has a default, so an empty POST is a complete request: the contract says so
  request: { body: { ...jsonBody(createCartSchema, "Optional: currency and country"), required: false } },
  responses: {
    201: { ...jsonContent(cartSchema, "The new, empty cart"), headers: cartVersion },
    ...problems(...BODY_PROBLEMS),
  },
});

export const getCart = cartRoute(
  "get",
  "/v1/carts/{id}",
  "Read a cart (404 when missing, expired or someone else's)",
  { params: cartIdParamsSchema },
  [401, 404],
);

export const updateCart = cartRoute(
  "patch",
  "/v1/carts/{id}",
  "Set the email, shipping address (its country becomes the cart's), billing address and/or shipping option",
  { params: cartIdParamsSchema, body: jsonBody(updateCartSchema) },
  [...BODY_PROBLEMS, 404, 409, 422],
  LOCKED,
);

export const addItem = cartRoute(
  "post",
  "/v1/carts/{id}/items",
  "Add a quantity of a SKU (adds to an existing line); any client-sent price is rejected (400)",
  { params: cartIdParamsSchema, body: jsonBody(addItemSchema) },
  [...BODY_PROBLEMS, 404, 409, 422],
  `409 with \`skus\` past the line or stock limit. ${LOCKED}`,
);

export const setItemQuantity = cartRoute(
  "patch",
  "/v1/carts/{id}/items/{sku}",
  "Set a line's quantity",
  { params: cartItemParamsSchema, body: jsonBody(setQuantitySchema) },
  [...BODY_PROBLEMS, 404, 409, 422],
  `409 with \`skus\` past the line or stock limit. ${LOCKED}`,
);

export const removeItem = cartRoute(
  "delete",
  "/v1/carts/{id}/items/{sku}",
  "Remove a line",
  { params: cartItemParamsSchema },
  [401, 404, 409],
  LOCKED,
);

export const applyDiscount = cartRoute(
  "post",
  "/v1/carts/{id}/discount",
  "Apply a discount code (422 with `reason` when it cannot be used)",
  { params: cartIdParamsSchema, body: jsonBody(applyDiscountSchema) },
  [...BODY_PROBLEMS, 404, 409, 422],
  LOCKED,
);

export const removeDiscount = cartRoute(
  "delete",
  "/v1/carts/{id}/discount",
  "Remove the discount code",
  { params: cartIdParamsSchema },
  [401, 404, 409],
  LOCKED,
);

export const claimCart = createRoute({
  method: "post",
  path: "/v1/carts/{id}/claim",
  tags: ["cart"],
  summary: "Adopt an anonymous cart after logging in, merging the user's open cart into it",
  description: LOCKED,
  security: bearerAuth,
  middleware: [requireUser()] as const,
  request: { params: cartIdParamsSchema },
  responses: { 200: cartAnswer, ...problems(401, 404, 409) },
});

export const listShippingOptions = createRoute({
  method: "get",
  path: "/v1/carts/{id}/shipping-options",
  tags: ["cart"],
  summary:
    "The shipping options that fit the cart (its destination, weight and subtotal), cheapest first; empty without a country",
  request: { params: cartIdParamsSchema },
  responses: {
    200: jsonContent(shippingQuoteListSchema, "Options with what each costs this cart"),
    ...problems(401, 404),
  },
});
