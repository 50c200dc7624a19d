import * as z from "zod";
import { pageSchema, paginationQuerySchema } from "../../platform/pagination";

export const failedJobListQuerySchema = paginationQuerySchema;
export type FailedJobListQuery = z.infer<typeof failedJobListQuerySchema>;

export const failedJobSchema = z
  .object({
    id: z.string().openapi({ description: "The message's unique id (the event id for domain events)" }),
    type: z.string(),
    status: z.enum(["retrying", "dead", "replayed"]),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    body: z.record(z.string(), z.unknown()),
    firstFailedAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("FailedJob");
export type FailedJob = z.infer<typeof failedJobSchema>;

export const failedJobPageSchema = pageSchema(failedJobSchema, "FailedJobPage");

export const failedJobParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const failedJobCursorSchema = z.object({ updatedAt: z.number().int(), id: z.string() });
