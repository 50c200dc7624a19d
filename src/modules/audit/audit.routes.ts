/** Admin contract: read the audit log (`audit:read`). */
import { jsonContent, problems } from "../../platform/openapi";
import { adminRoute } from "../identity/admin-route";
import { auditPageSchema, auditQuerySchema } from "./audit.schemas";

export const listAudit = adminRoute("audit:read", {
  method: "get",
  path: "/v1/admin/audit",
  tags: ["admin"],
  summary: "Audit log, newest first",
  description:
    "Security events and staff/admin actions with actor, request id, IP and time. Filter by `action` and `actorId`.",
  request: { query: auditQuerySchema },
  responses: { 200: jsonContent(auditPageSchema, "A page of audit entries"), ...problems(400, 401, 403) },
});
