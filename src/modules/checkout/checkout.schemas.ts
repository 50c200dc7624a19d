/** Checkout request shapes; the answer is the Order of the orders module. */
import * as z from "zod";
import type { NewOrder } from "../orders/order-create";

export const checkoutBodySchema = z
  .object({
    cartId: z.string().min(1).max(64).openapi({ example: "cart_0A1b2C3d4E5f6G7h8I9j0K" }),
    paymentMethod: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,255}$/, "a payment method token such as pm_card_visa")
      .openapi({ example: "pm_card_visa", description: "A provider payment-method token (test provider: pm_card_visa, pm_card_chargeDeclined, …)" }),
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
});

/** What the checkout keeps of the server-priced cart: the order is written from this, never re-priced mid-saga. */
export type CheckoutSnapshot = Omit<NewOrder, "id" | "checkoutId" | "paymentProvider" | "paymentId" | "at" | "shippingAddress"> & {
  orderId: string;
  shippingAddress: Record<string, unknown> | null;
};
