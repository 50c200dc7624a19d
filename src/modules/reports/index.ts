import { createRouter } from "../../platform/openapi";
import * as handlers from "./reports.handlers";
import * as routes from "./reports.routes";

export const reportsRouter = createRouter().openapi(routes.dailyReport, handlers.dailyReport);
