import { adminRoute } from "../identity/admin-route";
import { jsonContent, problems } from "../../platform/openapi";
import { emailListQuerySchema, sentEmailPageSchema } from "./email.schemas";

export const listEmails = adminRoute("emails:read", {
  method: "get",
  path: "/v1/admin/emails",
  tags: ["admin", "emails"],
  summary: "Emails the adapter sent (with the local adapter: the local outbox), newest first",
  request: { query: emailListQuerySchema },
  responses: { 200: jsonContent(sentEmailPageSchema, "A page of sent emails"), ...problems(400, 401, 403) },
});
