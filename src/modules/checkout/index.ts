/** POST /v1/checkout, and the sweep that finishes or compensates stuck checkouts. */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./checkout.handlers";
import * as routes from "./checkout.routes";

export const checkoutRouter = createRouter()
  .openapi(routes.checkout, handlers.checkout)
  .openapi(routes.checkoutStatus, handlers.checkoutStatus)
  .openapi(routes.completeCheckout, handlers.completeCheckout)
  .openapi(routes.payWithAnotherMethod, handlers.payWithAnotherMethod);

export { sweepStuckCheckouts } from "./checkout.sweep";
/** Claims its Idempotency-Key in its own first batch (see middleware/idempotency.ts). */
export const CHECKOUT_PATH = routes.checkout.path;
