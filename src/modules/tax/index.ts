/** Tax rules for merchants (the pricing engine applies them; see src/modules/pricing/tax.ts). */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./tax-rules.handlers";
import * as routes from "./tax-rules.routes";

export const taxRouter = createRouter()
  .openapi(routes.createTaxRule, handlers.createTaxRule)
  .openapi(routes.listTaxRules, handlers.listTaxRules)
  .openapi(routes.updateTaxRule, handlers.updateTaxRule)
  .openapi(routes.deleteTaxRule, handlers.deleteTaxRule);
