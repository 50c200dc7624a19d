/** Shipping configuration for merchants (the cart prices it; see src/modules/pricing/shipping.ts). */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./shipping.handlers";
import * as routes from "./shipping.routes";

// zones first: /v1/admin/shipping-options/zones must not be taken for an option id
export const shippingRouter = createRouter()
  .openapi(routes.listZones, handlers.listZones)
  .openapi(routes.createZone, handlers.createZone)
  .openapi(routes.updateZone, handlers.updateZone)
  .openapi(routes.deleteZone, handlers.deleteZone)
  .openapi(routes.listOptions, handlers.listOptions)
  .openapi(routes.createOption, handlers.createOption)
  .openapi(routes.getOption, handlers.getOption)
  .openapi(routes.updateOption, handlers.updateOption)
  .openapi(routes.deleteOption, handlers.deleteOption);
