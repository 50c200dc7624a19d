/** Saved addresses (the customer's) and the admin customer views. */
import * as z from "zod";
import { moneySchema } from "../../platform/money";
import { paginationQuerySchema } from "../../platform/pagination";
import { orderStatusSchema } from "../orders/orders.schemas";
import { addressSchema } from "./address.schemas";

/** Saved addresses per customer: enough for home, work and a few others, bounded per account. */
export const MAX_SAVED_ADDRESSES = 20;

export const saveAddressSchema = z
  .object({ label: z.string().trim().min(1).max(50).optional().openapi({ example: "Home" }), address: addressSchema })
  .strict()
  .openapi("NewSavedAddress");
export type SaveAddressInput = z.infer<typeof saveAddressSchema>;

export const savedAddressSchema = z
  .object({
    id: z.string(),
    label: z.string().nullable(),
    address: addressSchema.openapi({ description: "Usable as is as a cart's shippingAddress or billingAddress" }),
    createdAt: z.string(),
  })
  .openapi("SavedAddress");
export type SavedAddressView = z.infer<typeof savedAddressSchema>;

export const savedAddressListSchema = z.object({ data: z.array(savedAddressSchema) }).openapi("SavedAddressList");
export const addressIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const customerSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), createdAt: z.string() })
  .openapi("Customer");
export type CustomerView = z.infer<typeof customerSchema>;

export const customerListQuerySchema = paginationQuerySchema.extend({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "Part of the email or name, any letter case" }),
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;
export const customerCursorSchema = z.object({ t: z.number().int(), id: z.string().max(64) }).strict();

export const customerDetailSchema = customerSchema
  .extend({
    role: z.string(),
    addresses: z.array(savedAddressSchema),
    orders: z
      .array(z.object({ id: z.string(), status: orderStatusSchema, total: moneySchema, createdAt: z.string() }))
      .openapi({ description: "The latest 50, newest first" }),
    orderCount: z.number().int(),
    lifetimeValue: z
      .array(moneySchema.extend({ orders: z.number().int() }))
      .openapi({ description: "Per currency: the totals of orders paid and not cancelled or refunded" }),
  })
  .openapi("CustomerDetail");
export type CustomerDetailView = z.infer<typeof customerDetailSchema>;
export const customerIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
