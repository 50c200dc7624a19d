/** Order endpoints: the customer's list, view and cancel; the staff list, view, transitions, fulfillments and refunds. */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./orders.handlers";
import * as routes from "./orders.routes";

export const ordersRouter = createRouter()
  .openapi(routes.listMine, handlers.listMine)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.cancel, handlers.cancel)
  .openapi(routes.adminList, handlers.adminList)
  .openapi(routes.adminTransition, handlers.adminTransition)
  .openapi(routes.adminGet, handlers.adminGet)
  .openapi(routes.adminFulfill, handlers.adminFulfill)
  .openapi(routes.adminRefund, handlers.adminRefund)
  .openapi(routes.adminCapture, handlers.adminCapture);

export { applyPaymentEvent } from "./apply-payment-event";
