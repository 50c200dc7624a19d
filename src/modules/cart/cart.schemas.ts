/**
 * Cart request and response schemas. Bodies are strict: an unknown field — a client-sent `price`
 * or `unitPrice` above all — is a 400, never read. Prices only ever come from the catalog.
 */
import * as z from "zod";
import { currencySchema, moneySchema } from "../../platform/money";
import { orNull } from "../../platform/nullable";
import { addressSchema, countrySchema } from "../customers/address.schemas";

/** A sane bound per line; stock is checked on top of it. */
export const MAX_LINE_QUANTITY = 100;
/** Distinct SKUs per cart: bounds the cost of pricing one cart. */
export const MAX_CART_LINES = 50;

export const cartIdParamsSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "cart_0A1b2C3d4E5f6G7h8I9j0K" }),
});
export const cartItemParamsSchema = cartIdParamsSchema.extend({
  sku: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "sku", in: "path" }, example: "CLASSIC-TEE-M" }),
});

export const createCartSchema = z
  .object({
    currency: currencySchema.optional().openapi({ description: "Defaults to USD for a US cart, EUR otherwise" }),
    country: countrySchema.optional(),
  })
  .strict()
  .openapi("CreateCart");
export type CreateCartInput = z.infer<typeof createCartSchema>;

export const shippingOptionIdSchema = z.string().min(1).max(64).openapi({ example: "shpo_std_eu" });

export const updateCartSchema = z
  .object({
    email: z.email().max(254).optional(),
    shippingAddress: addressSchema.optional(),
    // `.nullable()` of an unnamed copy, not orNull(addressSchema): a bad billing address names its
    // field at fault (billingAddress.phone), and the Address component stays non-nullable
    billingAddress: z
      .object(addressSchema.shape)
      .strict()
      .nullable()
      .optional()
      .openapi({ description: "Optional; null removes it. Not used for tax (the shipping address is)" }),
    shippingOptionId: shippingOptionIdSchema
      .nullable()
      .optional()
      .openapi({ description: "One of GET /v1/carts/{id}/shipping-options; null goes back to the cheapest" }),
  })
  .strict()
  .openapi("UpdateCart");
export type UpdateCartInput = z.infer<typeof updateCartSchema>;

const quantitySchema = z.number().int().min(1).max(MAX_LINE_QUANTITY).openapi({ example: 1 });

export const addItemSchema = z
  .object({ sku: z.string().min(1).max(64), quantity: quantitySchema })
  .strict()
  .openapi("AddCartItem");
export type AddItemInput = z.infer<typeof addItemSchema>;

export const setQuantitySchema = z.object({ quantity: quantitySchema }).strict().openapi("SetCartItemQuantity");

export const applyDiscountSchema = z
  .object({ code: z.string().trim().min(1).max(64) })
  .strict()
  .openapi("ApplyDiscount");

const lineSchema = z
  .object({
    sku: z.string(),
    title: z.string(),
    quantity: z.number().int(),
    unitPrice: moneySchema,
    total: moneySchema,
    discount: moneySchema,
    tax: moneySchema,
  })
  .openapi("CartLine");

export const shippingQuoteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    amount: moneySchema,
    estimatedDays: z.number().int().openapi({ description: "Business days to delivery, at most" }),
  })
  .openapi("ShippingOptionQuote");
export type ShippingQuoteView = z.infer<typeof shippingQuoteSchema>;

export const shippingQuoteListSchema = z
  .object({ data: z.array(shippingQuoteSchema) })
  .openapi("ShippingOptionQuoteList");

export const cartSchema = z
  .object({
    id: z.string(),
    currency: currencySchema,
    country: z.string().nullable(),
    email: z.string().nullable(),
    shippingAddress: orNull(addressSchema),
    billingAddress: orNull(addressSchema),
    shippingOptionId: z
      .string()
      .nullable()
      .openapi({ description: "The buyer's chosen option; null = the cheapest that fits applies" }),
    shippingOption: orNull(shippingQuoteSchema).openapi({ description: "The option whose amount is in `shipping`" }),
    discountCode: z.string().nullable(),
    lines: z.array(lineSchema),
    subtotal: moneySchema,
    discount: moneySchema,
    shipping: moneySchema,
    tax: z.object({
      amount: z.number().int(),
      currency: currencySchema,
      inclusive: z.boolean(),
      status: z.enum(["calculated", "pending"]).openapi({
        description:
          "pending: no country, a US address without a state, or a destination without a tax rule; amount is 0 and checkout refuses",
      }),
      breakdown: z.array(z.object({ name: z.string(), rateBasisPoints: z.number().int(), amount: z.number().int() })),
    }),
    total: moneySchema,
    readyForCheckout: z.boolean(),
    blockers: z.array(z.string()).openapi({
      description:
        "Why checkout would refuse: empty_cart, country_required, region_required, tax_rule_missing, " +
        "shipping_unavailable, shipping_option_unavailable, sku_unavailable",
    }),
    notices: z.array(z.string()).openapi({ description: "e.g. discount_below_minimum" }),
    unavailableSkus: z
      .array(z.string())
      .openapi({ description: "Lines no longer sold (archived, or no price in the cart currency); not priced" }),
    expiresAt: z.string().openapi({ description: "ISO 8601; every write extends it" }),
  })
  .openapi("Cart");
export type CartView = z.infer<typeof cartSchema>;
