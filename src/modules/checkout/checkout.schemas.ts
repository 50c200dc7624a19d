/** Checkout request shapes; the answer is the Order of the orders module. */
import * as z from "zod";
import { currencySchema } from "../../platform/money";
import type { NewOrder } from "../orders/order-create";
import { entityTagsOf } from "./checkout.consent";

/** The total the buyer was shown and agreed to (the cart's `total`); strict like the body around it. */
export const expectedTotalSchema = z
  .object({
    amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({ example: 2745, description: "Integer minor units (cents)" }),
    currency: currencySchema,
  })
  .strict()
  .openapi({
    description:
      "Optional, recommended: the cart total the buyer was shown (the cart's `total`). When the re-priced total differs, checkout answers 409 `price-changed` " +
      "with the new `total` and the cart's `etag`, and charges nothing.",
  })
  .openapi("ExpectedTotal");

export const checkoutBodySchema = z
  .object({
    cartId: z.string().min(1).max(64).openapi({ example: "cart_0A1b2C3d4E5f6G7h8I9j0K" }),
    paymentMethod: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,255}$/, "a payment method token such as pm_card_visa")
      .openapi({ example: "pm_card_visa", description: "A provider payment-method token (test provider: pm_card_visa, pm_card_chargeDeclined, …)" }),
    expectedTotal: expectedTotalSchema.optional(),
  })
  .strict()
  .openapi("Checkout");
export type CheckoutBody = z.infer<typeof checkoutBodySchema>;

export const checkoutHeadersSchema = z.object({
  "idempotency-key": z.string().openapi({
    // header names are case-insensitive; hono validates them lower-cased, so the contract says so too
    param: { name: "idempotency-key", in: "header", required: true },
    example: "8e0f6c3a-2b8e-4c55-9d1e-6b8f0c7a9e21",
    description: "Required. 8–255 of A–Z a–z 0–9 . _ : + / = -. The same key and body replays the first answer (Idempotent-Replayed: true).",
  }),
  "if-match": z
    .string()
    .max(1024)
    .refine((value) => entityTagsOf(value) !== null, 'one or more entity tags such as "0f3a…" (the cart\'s ETag), or *')
    .optional()
    .openapi({
      param: { name: "if-match", in: "header", required: false },
      example: '"5d41402abc4b2a76b9719d911017c592"',
      description:
        "Optional, recommended: the cart's ETag (from any cart answer) that the buyer confirmed. When the cart changed since, checkout answers 409 `price-changed` " +
        "with the new `total` and `etag`, and charges nothing. Compared strongly: a weak tag never matches. Not part of the Idempotency-Key's fingerprint.",
    }),
});

/** What the checkout keeps of the server-priced cart: the order is written from this, never re-priced mid-saga. */
export type CheckoutSnapshot = Omit<NewOrder, "id" | "checkoutId" | "paymentProvider" | "paymentId" | "at" | "shippingAddress"> & {
  orderId: string;
  shippingAddress: Record<string, unknown> | null;
};
