/** Checkout request shapes; the answer is the Order of the orders module. */
import * as z from "zod";
import { currencySchema } from "../../platform/money";
import type { NewOrder } from "../orders/order-create";
import { entityTagsOf } from "./checkout.consent";

/** The total the buyer was shown and agreed to (the cart's `total`); strict like the body around it. */
export const expectedTotalSchema = z
  .object({
    amount: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .openapi({ example: 2745, description: "Integer minor units (cents)" }),
    currency: currencySchema,
  })
  .strict()
  .openapi({
    description:
      "Optional, recommended: the cart total the buyer was shown (the cart's `total`). When the " +
      "re-priced total differs, checkout answers 409 `price-changed` with the new `total` and the " +
      "cart's `etag`, and charges nothing.",
  })
  .openapi("ExpectedTotal");

export const checkoutBodySchema = z
  .object({
    cartId: z.string().min(1).max(64).openapi({ example: "cart_0A1b2C3d4E5f6G7h8I9j0K" }),
    paymentMethod: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,255}$/, "a payment method token such as pm_card_visa")
      .openapi({
        example: "pm_card_visa",
        description: "A provider payment-method token (test provider: pm_card_visa, pm_card_chargeDeclined, …)",
      }),
    expectedTotal: expectedTotalSchema.optional(),
    returnUrl: z
      .string()
      .max(2048)
      .optional()
      .openapi({
        example: "https://shop.example/checkout/return",
        description:
          "Where the buyer comes back after authenticating a payment (3-D Secure): a page of an origin in " +
          "CORS_ORIGINS or PUBLIC_BASE_URL's, else 422.",
      }),
  })
  .strict()
  .openapi("Checkout");
export type CheckoutBody = z.infer<typeof checkoutBodySchema>;

export const checkoutHeadersSchema = z.object({
  "idempotency-key": z.string().openapi({
    // header names are case-insensitive; hono validates them lower-cased, so the contract says so too
    param: { name: "idempotency-key", in: "header", required: true },
    example: "8e0f6c3a-2b8e-4c55-9d1e-6b8f0c7a9e21",
    description:
      "Required. 8–255 of A–Z a–z 0–9 . _ : + / = -. The same key and body replays the first answer (Idempotent-Replayed: true).",
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
        "Optional, recommended: the cart's ETag (from any cart answer) that the buyer confirmed. When " +
        "the cart changed since, checkout answers 409 `price-changed` with the new `total` and `etag`, " +
        "and charges nothing. Compared strongly: a weak tag never matches. Not part of the " +
        "Idempotency-Key's fingerprint.",
    }),
});

/** What the checkout keeps of the server-priced cart: the order is written from this, never re-priced mid-saga. */
export type CheckoutSnapshot = Omit<
  NewOrder,
  "id" | "checkoutId" | "paymentProvider" | "paymentId" | "at" | "shippingAddress" | "captureMethod" | "authorizedSince"
> & {
  orderId: string;
  shippingAddress: Record<string, unknown> | null;
};

export const checkoutIdParamSchema = z.object({
  id: z
    .string()
    .regex(/^chk_[0-9A-Za-z]{22}$/, "not a checkout id")
    .openapi({ param: { name: "id", in: "path" }, example: "chk_0123456789ABCDEFGHIJKL" }),
});

export const nextActionSchema = z
  .object({
    type: z.enum(["redirect", "use_stripe_sdk"]).openapi({
      description:
        "`redirect`: send the buyer to `url`; `use_stripe_sdk` (Stripe, no `returnUrl` given): finish in " +
        "the page with Stripe.js and `clientSecret`.",
    }),
    url: z.url().optional().openapi({
      description: "With `redirect`: send the buyer here (a full-page redirect); they come back to `returnUrl`.",
    }),
    clientSecret: z
      .string()
      .optional()
      .openapi({ description: "Stripe only: the PaymentIntent's client secret, for Stripe.js (`handleNextAction`)." }),
  })
  .openapi("NextAction");

/** The 202 of a checkout that waits for the buyer (POST /v1/checkout, POST /v1/checkouts/{id}/complete). */
export const checkoutActionSchema = z
  .object({
    checkoutId: z.string(),
    status: z.literal("requires_action"),
    nextAction: nextActionSchema,
  })
  .openapi("CheckoutRequiresAction");

export const checkoutStatusSchema = z
  .object({
    id: z.string(),
    status: z.enum(["requires_action", "processing", "completed", "failed", "expired"]),
    orderId: z.string().optional().openapi({ description: "Once `completed`." }),
    nextAction: nextActionSchema.optional().openapi({ description: "While `requires_action`." }),
    detail: z.string().optional().openapi({ description: "Why, when `failed` or `expired`." }),
    retryUntil: z
      .string()
      .optional()
      .openapi({
        description:
          "When `failed` because the authentication failed and the window is still open: until then, POST " +
          "/v1/checkouts/{id}/payment-method pays with another card on this checkout (its stock stays " +
          "held).",
      }),
  })
  .openapi("CheckoutStatus");

export const paymentMethodBodySchema = z
  .object({
    paymentMethod: checkoutBodySchema.shape.paymentMethod,
    returnUrl: checkoutBodySchema.shape.returnUrl,
  })
  .strict()
  .openapi("CheckoutPaymentMethodRequest");
