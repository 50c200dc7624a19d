/** Customers: saved addresses (the customer's own) and the staff customer views. */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./customers.handlers";
import * as routes from "./customers.routes";

export const customersRouter = createRouter()
  .openapi(routes.listAddresses, handlers.listAddresses)
  .openapi(routes.saveAddress, handlers.saveAddress)
  .openapi(routes.deleteAddress, handlers.deleteAddress)
  .openapi(routes.listCustomers, handlers.listCustomers)
  .openapi(routes.getCustomer, handlers.getCustomer);
