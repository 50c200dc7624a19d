/** Cart module wiring; `loadPricedCart`, the discount redemption helpers and the cron job are for other modules. */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./cart.handlers";
import * as routes from "./cart.routes";

export const cartRouter = createRouter()
  .openapi(routes.createCart, handlers.createCart)
  .openapi(routes.getCart, handlers.getCart)
  .openapi(routes.listShippingOptions, handlers.listShippingOptions)
  .openapi(routes.updateCart, handlers.updateCart)
  .openapi(routes.addItem, handlers.addItem)
  .openapi(routes.setItemQuantity, handlers.setItemQuantity)
  .openapi(routes.removeItem, handlers.removeItem)
  .openapi(routes.applyDiscount, handlers.applyDiscount)
  .openapi(routes.removeDiscount, handlers.removeDiscount)
  .openapi(routes.claimCart, handlers.claimCart);

export { loadPricedCart, type PricedCart } from "./cart-pricing";
export { discountRedemptionStatements, isDiscountUsageExhausted } from "../discounts/discounts.rules";
export { expireIdleCarts } from "./cart.cron";
