import * as z from "zod";
import { pageSchema, paginationQuerySchema } from "../../platform/pagination";

export const auditQuerySchema = paginationQuerySchema.extend({
  action: z.string().min(1).max(100).optional().openapi({ example: "auth.login.failed" }),
  actorId: z.string().min(1).max(64).optional().openapi({ example: "usr_0Fz3…" }),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actorId: z.string().nullable(),
    subject: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string().openapi({ description: "ISO 8601" }),
  })
  .openapi("AuditEntry");

export const auditPageSchema = pageSchema(auditEntrySchema, "AuditPage");

/** Cursor = the last row's (createdAt, id): newest first, ties broken by id. */
export const auditCursorSchema = z.object({ t: z.number().int(), id: z.string().max(64) }).strict();
