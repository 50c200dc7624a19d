/** Order shapes of the public contract (zod is the single source of validation, types and OpenAPI). */
import * as z from "zod";
import { humanText } from "../../platform/text";
import { ORDER_STATUSES } from "../../db/schema";
import { moneySchema } from "../../platform/money";
import { orNull } from "../../platform/nullable";
import { paginationQuerySchema } from "../../platform/pagination";
import { addressSchema } from "../customers/address.schemas";
import { FULFILLMENT_ONLY_STATUSES } from "./order-transitions";

export const orderStatusSchema = z.enum(ORDER_STATUSES).openapi({ example: "paid" });

export const orderIdParamSchema = z.object({
  id: z
    .string()
    .regex(/^ord_[0-9A-Za-z]{22}$/, "not an order id")
    .openapi({ param: { name: "id", in: "path" }, example: "ord_0123456789ABCDEFGHIJKL" }),
});

export const orderLineSchema = z
  .object({
    sku: z.string(),
    title: z.string(),
    quantity: z.number().int(),
    unitPrice: moneySchema,
    total: moneySchema,
  })
  .openapi("OrderLine");

export const orderSchema = z
  .object({
    id: z.string().openapi({ example: "ord_0123456789ABCDEFGHIJKL" }),
    status: orderStatusSchema,
    email: z.string(),
    currency: z.string(),
    lines: z.array(orderLineSchema),
    subtotal: moneySchema,
    discount: moneySchema,
    discountCode: z.string().nullable(),
    shipping: moneySchema,
    tax: moneySchema.extend({ inclusive: z.boolean() }),
    total: moneySchema,
    shippingAddress: orNull(addressSchema).openapi({ description: "As it was at checkout" }),
    billingAddress: orNull(addressSchema),
    paymentId: z.string().nullable(),
    createdAt: z.string().openapi({ example: "2026-11-25T04:35:00.000Z" }),
    updatedAt: z.string(),
  })
  .openapi("Order");
export type OrderView = z.infer<typeof orderSchema>;

const instantSchema = z.iso.datetime({ offset: true }).openapi({ example: "2026-12-01T00:00:00Z" });

export const adminOrderListQuerySchema = paginationQuerySchema
  .extend({
    status: orderStatusSchema.optional(),
    from: instantSchema.optional().openapi({ description: "Created at or after (ISO 8601)" }),
    to: instantSchema.optional().openapi({ description: "Created before (ISO 8601, exclusive)" }),
    customerId: z.string().min(1).max(64).optional().openapi({ description: "Orders of this user id" }),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) < Date.parse(query.to), {
    message: "from must be before to",
    path: ["to"],
  });
export type AdminOrderListQuery = z.infer<typeof adminOrderListQuerySchema>;

export const transitionBodySchema = z
  .object({
    to: z
      .enum(ORDER_STATUSES.filter((status) => !FULFILLMENT_ONLY_STATUSES.includes(status)))
      .openapi({ description: "partially_shipped is reached by recording a fulfillment" }),
    reason: humanText(1, 500, { multiline: true }).optional(),
  })
  .strict()
  .openapi("OrderTransition");
export type TransitionBody = z.infer<typeof transitionBodySchema>;

export const cancelBodySchema = z
  .object({ reason: humanText(1, 500, { multiline: true }).optional() })
  .strict()
  .openapi("OrderCancel");

/** Cursor of the newest-first order lists: keyset on (createdAt, id). */
export const orderCursorSchema = z.object({ t: z.number().int(), id: z.string().max(64) });
