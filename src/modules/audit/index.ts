/** Audit wiring: the admin read endpoint (writers live in audit.service.ts). */
import { createRouter } from "../../platform/openapi";
import * as handlers from "./audit.handlers";
import * as routes from "./audit.routes";

export const auditRouter = createRouter().openapi(routes.listAudit, handlers.listAudit);
