import * as z from "zod";
import { pageSchema, paginationQuerySchema } from "../../platform/pagination";

export const emailListQuerySchema = paginationQuerySchema.extend({
  to: z
    .string()
    .trim()
    .min(3)
    .max(254)
    .optional()
    .openapi({ description: "Only emails sent to this address (case-insensitive)", example: "admin@motor.local" }),
});
export type EmailListQuery = z.infer<typeof emailListQuerySchema>;

export const sentEmailSchema = z
  .object({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("SentEmail");
export type SentEmail = z.infer<typeof sentEmailSchema>;

export const sentEmailPageSchema = pageSchema(sentEmailSchema, "SentEmailPage");

export const emailCursorSchema = z.object({ createdAt: z.number().int(), id: z.string() });
