import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../middleware/auth";
import { bearerAuth, jsonContent, problems } from "../../platform/openapi";
import { emailListQuerySchema, sentEmailPageSchema } from "./email.schemas";

export const listEmails = createRoute({
  method: "get",
  path: "/v1/admin/emails",
  tags: ["admin", "emails"],
  summary: "Emails the adapter sent (with the local adapter: the local outbox), newest first",
  security: bearerAuth,
  middleware: [requirePermission("emails:read")] as const,
  request: { query: emailListQuerySchema },
  responses: { 200: jsonContent(sentEmailPageSchema, "A page of sent emails"), ...problems(400, 401, 403) },
});
