/** Discount codes for merchants (the cart module applies them; checkout redeems them). */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./discounts.handlers";
import * as routes from "./discounts.routes";

export const discountsRouter = createRouter()
  .openapi(routes.createDiscount, handlers.createDiscount)
  .openapi(routes.listDiscounts, handlers.listDiscounts)
  .openapi(routes.updateDiscount, handlers.updateDiscount);
