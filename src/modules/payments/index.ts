/** Payments: inbound provider webhooks, the admin views of the test ledger and reconciliation, and reconciliation run now. */
import { createRouter } from "../../platform/openapi";
import * as adminHandlers from "./payments.admin.handlers";
import * as adminRoutes from "./payments.admin.routes";
import * as handlers from "./payments.handlers";
import * as routes from "./payments.routes";
import { testProviderPages } from "./test-provider.pages";

export const paymentsRouter = createRouter()
  .openapi(routes.receiveWebhook, handlers.receiveWebhook)
  .openapi(adminRoutes.testLedger, adminHandlers.testLedger)
  .openapi(adminRoutes.mismatches, adminHandlers.mismatches)
  .openapi(adminRoutes.reconcileNow, adminHandlers.reconcileNow)
  // not part of the API contract: the test provider's authentication page (404 unless PAYMENT_PROVIDER=test)
  .route("/", testProviderPages);

export { reconcilePaymentsJob } from "./reconcile";
