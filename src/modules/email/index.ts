import { createRouter } from "../../platform/openapi";
import * as handlers from "./email.handlers";
import * as routes from "./email.routes";

export const emailRouter = createRouter().openapi(routes.listEmails, handlers.listEmails);
