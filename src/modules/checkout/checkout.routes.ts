/** The checkout contract: POST /v1/checkout with a required Idempotency-Key. */
import { createRoute } from "@hono/zod-openapi";
import { bearerAuth, jsonBody, jsonContent, problems } from "../../platform/openapi";
import { orderSchema } from "../orders/orders.schemas";
import {
  checkoutActionSchema,
  checkoutBodySchema,
  checkoutHeadersSchema,
  checkoutIdParamSchema,
  checkoutStatusSchema,
  paymentMethodBodySchema,
} from "./checkout.schemas";

export const checkout = createRoute({
  method: "post",
  path: "/v1/checkout",
  tags: ["checkout"],
  summary: "Check out a cart: re-price, reserve stock, charge, create the order (Idempotency-Key required)",
  description:
    "Anonymous or signed in (then the order is yours). 409 names the out-of-stock SKUs in `skus`; " +
    "402 when the payment is declined (the reservation is released at once); 409 also when another " +
    "checkout of the same cart is in progress (with `Retry-After`) or done; 422 for a cart that " +
    "cannot be checked out (`blockers`); 409 `price-changed` (with the new `total` and `etag`, " +
    "nothing charged) when the cart is no longer the one the buyer agreed to — send `If-Match` (the " +
    "cart's ETag) and/or `expectedTotal`: optional in v1, but clients should send one; 503 " +
    "`payment-outcome-unknown` (with `Retry-After`) when the provider gave no final answer — the " +
    "stock stays held and re-sending the same request with the same key learns the outcome; other " +
    "503s (a dependency down, a refund pending) — retry with the same key. 202 `requires_action` " +
    "when the payment needs the buyer (3-D Secure): send them to `nextAction.url`; they come back to " +
    "`returnUrl`, then call POST /v1/checkouts/{id}/complete (a replay with the same key answers the " +
    "same 202 while it waits, and the order once done); a new checkout of the same cart by the same " +
    "buyer releases one that waits. 429 (with `Retry-After`) when this buyer already has 3 checkouts " +
    "holding stock; 422 `quantity_above_hold_limit` past 10 units of one product. See " +
    "docs/checkout.md.",
  security: [...bearerAuth, {}],
  request: { headers: checkoutHeadersSchema, body: jsonBody(checkoutBodySchema) },
  responses: {
    201: jsonContent(orderSchema, "The order, paid"),
    202: jsonContent(
      checkoutActionSchema,
      "The payment waits for the buyer (3-D Secure); stock stays held until it is decided (with Retry-After: poll no faster)",
    ),
    ...problems(400, 401, 402, 403, 404, 409, 422, 429, 503),
  },
});

export const checkoutStatus = createRoute({
  method: "get",
  path: "/v1/checkouts/{id}",
  tags: ["checkout"],
  summary: "Where a checkout stands: requires_action, processing, completed (with the order id), failed or expired",
  description:
    "Its buyer only (the signed-in user who started it; for an anonymous checkout, whoever holds its " +
    "id): 404 for anyone else. A page polls this; it asks nothing of the provider.",
  security: [...bearerAuth, {}],
  request: { params: checkoutIdParamSchema },
  responses: {
    200: jsonContent(checkoutStatusSchema, "The checkout's status"),
    ...problems(400, 401, 404, 429),
  },
});

export const completeCheckout = createRoute({
  method: "post",
  path: "/v1/checkouts/{id}/complete",
  tags: ["checkout"],
  summary: "Finish a checkout that waited for the buyer, from what the provider says (never the client)",
  description:
    "Call it when the buyer comes back from authenticating. Motor asks the provider: 201 the order " +
    "once the payment went through; 202 while it still waits; 402 when the authentication failed " +
    "(nothing charged); 409 `checkout-expired` when the window passed. Any number of calls, in any " +
    "order with the provider's webhook and the sweep: exactly one order.",
  security: [...bearerAuth, {}],
  request: { params: checkoutIdParamSchema },
  responses: {
    201: jsonContent(orderSchema, "The order, paid"),
    202: jsonContent(checkoutActionSchema, "Still waiting for the buyer"),
    ...problems(400, 401, 402, 404, 409, 429, 503),
  },
});

export const payWithAnotherMethod = createRoute({
  method: "post",
  path: "/v1/checkouts/{id}/payment-method",
  tags: ["checkout"],
  summary: "Pay with another card on the same checkout after a failed authentication, while its window is open",
  description:
    "Only for a checkout whose `GET /v1/checkouts/{id}` says `failed` with `retryUntil`: its stock " +
    "is still held. A new charge with the new payment method: 201 the order, 202 when this card " +
    "needs the buyer too (3-D Secure; `returnUrl` as at checkout), 402 when it is declined at the " +
    "charge (the checkout ends, as a decline at a first charge does; a failed authentication of this " +
    "card keeps it open again). It charges the total the buyer agreed to at checkout (the cart stays " +
    "locked meanwhile). 409 when the checkout is not waiting for another card (it completed, is " +
    "waiting at the bank, or its window passed: then `checkout-expired`). A double submit charges " +
    "once.",
  security: [...bearerAuth, {}],
  request: { params: checkoutIdParamSchema, body: jsonBody(paymentMethodBodySchema) },
  responses: {
    201: jsonContent(orderSchema, "The order, paid"),
    202: jsonContent(checkoutActionSchema, "This card needs the buyer too"),
    ...problems(400, 401, 402, 404, 409, 422, 429, 503),
  },
});
