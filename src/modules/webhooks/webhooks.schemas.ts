import * as z from "zod";
import { EVENT_TYPES, type EventType } from "../jobs/outbox";
import { pageSchema, paginationQuerySchema } from "../../platform/pagination";

/**
 * What merchants may subscribe to: every domain event except the password reset request, whose
 * payload carries a live one-time reset link that must only ever reach the account's own inbox.
 */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter(
  (type): type is Exclude<EventType, "user.password_reset_requested"> => type !== "user.password_reset_requested",
);

export const registerWebhookSchema = z
  .object({
    url: z.string().min(1).max(2048).openapi({ example: "https://shop.example/hooks/motor" }),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((events) => new Set(events).size === events.length, "events must not repeat"),
  })
  .strict()
  .openapi("RegisterWebhook");
export type RegisterWebhook = z.infer<typeof registerWebhookSchema>;

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("WebhookEndpoint");
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({ secret: z.string().openapi({ description: "Signing secret; shown only in this answer" }) })
  .openapi("CreatedWebhookEndpoint");

export const webhookEndpointListSchema = z
  .object({ data: z.array(webhookEndpointSchema) })
  .openapi("WebhookEndpointList");

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.number().int(),
    // v1 field kept for compatibility (the contract only grows); the code itself is not shown
    lastStatusCode: z.number().int().nullable().openapi({
      description:
        "Deprecated: always null. The log shows the class only (lastStatusClass), so it cannot serve as a network probe.",
    }),
    lastStatusClass: z.enum(["1xx", "2xx", "3xx", "4xx", "5xx"]).nullable().openapi({
      description: "Class of the last answer (never the code or the body: the log is not a network probe)",
    }),
    lastError: z.string().nullable().openapi({
      description:
        "One of a few fixed texts: answered 5xx, redirects are not followed, timed out, network error, refused: <reason>",
    }),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("WebhookDelivery");
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = pageSchema(webhookDeliverySchema, "WebhookDeliveryPage");
export const deliveryListQuerySchema = paginationQuerySchema;
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;
export const deliveryCursorSchema = z.object({ createdAt: z.number().int(), id: z.string() });

const idParam = z.string().min(1).max(64);
export const endpointParamsSchema = z.object({ id: idParam.openapi({ param: { name: "id", in: "path" } }) });
export const deliveryParamsSchema = z.object({ id: idParam.openapi({ param: { name: "id", in: "path" } }) });
