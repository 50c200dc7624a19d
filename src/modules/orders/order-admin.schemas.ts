/** Staff shapes of one order: the full view, refunds and fulfillments (zod: validation, types and OpenAPI). */
import * as z from "zod";
import { skuSchema } from "../catalog/catalog.admin.schemas";
import { moneySchema } from "../../platform/money";
import { orNull } from "../../platform/nullable";
import { humanText } from "../../platform/text";
import { orderLineSchema, orderSchema, orderStatusSchema } from "./orders.schemas";

const MAX_LINES = 100;

const lineQuantitySchema = z
  .object({ sku: skuSchema, quantity: z.number().int().min(1).max(10_000) })
  .strict()
  .openapi("LineQuantity");

const lineQuantitiesSchema = z
  .array(lineQuantitySchema)
  .min(1)
  .max(MAX_LINES)
  .refine((lines) => new Set(lines.map((line) => line.sku)).size === lines.length, "each SKU at most once");

/** Optional on staff writes; the console sends one per form attempt (a retried submit acts once). */
export const idempotencyKeyHeaderSchema = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header", required: false },
      example: "8e0f6c3a-2b8e-4c55-9d1e-6b8f0c7a9e21",
      description:
        "8–255 of A–Z a–z 0–9 . _ : + / = -. The same key and body replays the first answer (Idempotent-Replayed: true).",
    }),
});

export const refundBodySchema = z
  .object({
    lines: lineQuantitiesSchema.optional().openapi({
      description:
        "Units to refund; each line gives back its share of what was paid (its tax and discount share " +
        "included). Omit lines and amount to refund everything left, shipping included.",
    }),
    amount: z.number().int().min(1).max(100_000_000).optional().openapi({
      description:
        "Minor units. Alone: a refund of this amount. With lines: this amount for those units instead of their share.",
    }),
    reason: humanText(1, 500, { multiline: true }),
    restock: z.boolean().openapi({
      description: "Put the refunded units back on hand (needs units: lines, or a refund of everything left)",
    }),
  })
  .strict()
  .refine((body) => !(body.restock && body.amount !== undefined && body.lines === undefined), {
    message: "restock needs the lines to put back",
    path: ["restock"],
  })
  .openapi("OrderRefundRequest");
export type RefundBody = z.infer<typeof refundBodySchema>;

export const fulfillmentBodySchema = z
  .object({
    carrier: humanText(1, 100),
    trackingNumber: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9 -]+$/, "letters, digits, spaces and hyphens")
      .openapi({ example: "1Z999AA10123456784" }),
    trackingUrl: z
      .url({ protocol: /^https$/ })
      .max(2048)
      .optional()
      .openapi({ example: "https://carrier.example/track/1Z999AA10123456784" }),
    lines: lineQuantitiesSchema
      .optional()
      .openapi({ description: "The units in this parcel; omit to ship everything not shipped yet" }),
  })
  .strict()
  .openapi("OrderFulfillmentRequest");
export type FulfillmentBody = z.infer<typeof fulfillmentBodySchema>;

export const captureBodySchema = z
  .object({
    amount: z.number().int().min(1).max(100_000_000).optional().openapi({
      description:
        "Minor units to take; omit to take all that may be (the authorised total less refunds). Less releases the rest.",
    }),
  })
  .strict()
  .openapi("OrderCaptureRequest");

export const refundSchema = z
  .object({
    id: z.string().openapi({ example: "rfd_0123456789ABCDEFGHIJKL" }),
    orderId: z.string(),
    amount: moneySchema,
    status: z
      .enum(["pending", "succeeded"])
      .openapi({ description: "pending: decided and durable, the provider is (re)tried until it confirms" }),
    kind: z.enum(["refund", "release"]).openapi({
      description: "release: refunded before a manual capture — never taken, so nothing went through the provider",
    }),
    reason: z.string().nullable(),
    lines: z.array(lineQuantitySchema),
    restock: z.boolean(),
    providerRefundId: z.string().nullable(),
    actor: z.string(),
    createdAt: z.string(),
  })
  .openapi("OrderRefund");
export type RefundView = z.infer<typeof refundSchema>;

export const fulfillmentSchema = z
  .object({
    id: z.string().openapi({ example: "ful_0123456789ABCDEFGHIJKL" }),
    orderId: z.string(),
    carrier: z.string(),
    trackingNumber: z.string(),
    trackingUrl: z.string().nullable(),
    lines: z.array(lineQuantitySchema),
    actor: z.string(),
    createdAt: z.string(),
  })
  .openapi("OrderFulfillment");
export type FulfillmentView = z.infer<typeof fulfillmentSchema>;

export const fulfillmentAnswerSchema = fulfillmentSchema
  .extend({ orderStatus: orderStatusSchema })
  .openapi("OrderFulfillmentAnswer");

const paymentSummarySchema = z
  .object({
    provider: z.string(),
    paymentId: z.string(),
    captureMethod: z.enum(["automatic", "manual"]),
    status: z.enum(["authorized", "capturing", "captured", "voiding", "voided"]).openapi({
      description:
        "automatic capture: always captured. capturing / voiding: decided, the provider is (re)tried every minute",
    }),
    authorized: moneySchema,
    captured: moneySchema,
    voided: moneySchema.openapi({
      description: "Authorised but never taken: released by refunds before capture, or the whole authorisation voided",
    }),
    refunded: moneySchema.openapi({ description: "Confirmed by the provider" }),
    refundPending: moneySchema.openapi({
      description: "Decided, not yet confirmed by the provider (retried every minute)",
    }),
    authorizationExpiresAt: z.string().nullable().openapi({
      description:
        "Manual capture, until captured or voided: when the bank releases the money (the expiry policy acts a day before)",
    }),
    lastError: z.string().nullable().openapi({ description: "Why the last capture or void did not get through" }),
  })
  .openapi("OrderPayment");

const timelineEntrySchema = z
  .object({
    at: z.string(),
    from: orderStatusSchema.nullable(),
    to: orderStatusSchema,
    actor: z.string(),
    reason: z.string().nullable(),
  })
  .openapi("OrderTimelineEntry");

export const adminOrderSchema = orderSchema
  .extend({
    lines: z.array(
      orderLineSchema.extend({
        discount: orNull(moneySchema).openapi({
          description: "The line's share of the discount (null on orders placed before it was kept)",
        }),
        tax: orNull(moneySchema).openapi({
          description: "The line's own rounded tax (null on orders placed before it was kept)",
        }),
        refundedQuantity: z.number().int(),
        shippedQuantity: z.number().int(),
      }),
    ),
    payments: z.array(paymentSummarySchema).openapi({ description: "Empty for a free order" }),
    refunds: z.array(refundSchema),
    fulfillments: z.array(fulfillmentSchema),
    timeline: z
      .array(timelineEntrySchema)
      .openapi({ description: "Every status change, oldest first, with who made it" }),
  })
  .openapi("AdminOrder");
export type AdminOrderView = z.infer<typeof adminOrderSchema>;
