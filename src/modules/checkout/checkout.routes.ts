/** The checkout contract: POST /v1/checkout with a required Idempotency-Key. */
import { createRoute } from "@hono/zod-openapi";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import { orderSchema } from "../orders/orders.schemas";
import { checkoutBodySchema, checkoutHeadersSchema } from "./checkout.schemas";

export const checkout = createRoute({
  method: "post",
  path: "/v1/checkout",
  tags: ["checkout"],
  summary: "Check out a cart: re-price, reserve stock, charge, create the order (Idempotency-Key required)",
  description:
    "Anonymous or signed in (then the order is yours). 409 names the out-of-stock SKUs in `skus`; 402 when the payment is declined " +
    "(the reservation is released at once); 409 also when another checkout of the same cart is in progress (with `Retry-After`) or done; " +
    "422 for a cart that cannot be checked out (`blockers`); 409 `price-changed` (with the new `total` and `etag`, nothing charged) when the cart " +
    "is no longer the one the buyer agreed to — send `If-Match` (the cart's ETag) and/or `expectedTotal`: optional in v1, but clients should send one; 503 `payment-outcome-unknown` (with `Retry-After`) when the provider gave no " +
    "final answer — the stock stays held and re-sending the same request with the same key learns the outcome; other 503s (a dependency " +
    "down, a refund pending) — retry with the same key. See docs/checkout.md.",
  security: [...bearerAuth, {}],
  request: { headers: checkoutHeadersSchema, body: jsonBody(checkoutBodySchema) },
  responses: {
    201: jsonContent(orderSchema, "The order, paid"),
    ...problems(400, 401, 402, 403, 404, 409, 422, 429, 503),
  },
});
