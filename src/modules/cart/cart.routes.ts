/** Cart contracts: every status each route can answer. All answers are the complete priced cart. */
import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { requireUser } from "../../middleware/auth";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import { addItemSchema, applyDiscountSchema, cartIdParamsSchema, cartItemParamsSchema, cartSchema, createCartSchema, setQuantitySchema, updateCartSchema } from "./cart.schemas";

const cartAnswer = jsonContent(cartSchema, "The cart, priced by the server");
/** Problems of every route that writes a JSON body (malformed 400, bad token 401, too big 413, not JSON 415). */
const BODY_PROBLEMS = [400, 401, 413, 415];

/** A route under /v1/carts that answers 200 with the priced cart. */
function cartRoute<const M extends RouteConfig["method"], const P extends string, const Q extends RouteConfig["request"]>(method: M, path: P, summary: string, request: Q, statuses: number[]) {
  return createRoute({ method, path, tags: ["cart"], summary, request, responses: { 200: cartAnswer, ...problems(...statuses) } });
}

export const createCart = createRoute({
  method: "post",
  path: "/v1/carts",
  tags: ["cart"],
  summary: "Create a cart (owned by the caller when a bearer token is sent, else anonymous)",
  // every field has a default, so an empty POST is a complete request: the contract says so
  request: { body: { ...jsonBody(createCartSchema, "Optional: currency and country"), required: false } },
  responses: { 201: jsonContent(cartSchema, "The new, empty cart"), ...problems(...BODY_PROBLEMS) },
});

export const getCart = cartRoute("get", "/v1/carts/{id}", "Read a cart (404 when missing, expired or someone else's)", { params: cartIdParamsSchema }, [401, 404]);

export const updateCart = cartRoute("patch", "/v1/carts/{id}", "Set the email and/or shipping address (the address's country becomes the cart's)",
  { params: cartIdParamsSchema, body: jsonBody(updateCartSchema) }, [...BODY_PROBLEMS, 404, 422]);

export const addItem = cartRoute("post", "/v1/carts/{id}/items", "Add a quantity of a SKU (adds to an existing line); any client-sent price is rejected (400)",
  { params: cartIdParamsSchema, body: jsonBody(addItemSchema) }, [...BODY_PROBLEMS, 404, 409, 422]);

export const setItemQuantity = cartRoute("patch", "/v1/carts/{id}/items/{sku}", "Set a line's quantity",
  { params: cartItemParamsSchema, body: jsonBody(setQuantitySchema) }, [...BODY_PROBLEMS, 404, 409, 422]);

export const removeItem = cartRoute("delete", "/v1/carts/{id}/items/{sku}", "Remove a line", { params: cartItemParamsSchema }, [401, 404]);

export const applyDiscount = cartRoute("post", "/v1/carts/{id}/discount", "Apply a discount code (422 with `reason` when it cannot be used)",
  { params: cartIdParamsSchema, body: jsonBody(applyDiscountSchema) }, [...BODY_PROBLEMS, 404, 422]);

export const removeDiscount = cartRoute("delete", "/v1/carts/{id}/discount", "Remove the discount code", { params: cartIdParamsSchema }, [401, 404]);

export const claimCart = createRoute({
  method: "post",
  path: "/v1/carts/{id}/claim",
  tags: ["cart"],
  summary: "Adopt an anonymous cart after logging in, merging the user's open cart into it",
  security: bearerAuth,
  middleware: [requireUser()] as const,
  request: { params: cartIdParamsSchema },
  responses: { 200: cartAnswer, ...problems(401, 404) },
});
