import { createRouter } from "../../platform/openapi";
import * as handlers from "./payments.handlers";
import * as routes from "./payments.routes";

export const paymentsRouter = createRouter().openapi(routes.receiveWebhook, handlers.receiveWebhook);
