/**
 * Inbound payment events, normalised. Both providers send Stripe-shaped JSON
 * (`{ id, type, data: { object } }`), so one parser serves both; the orders module decides what
 * each kind does to an order.
 */
import * as z from "zod";
import { ValidationError } from "../../platform/errors";
import { fieldErrors } from "../../platform/openapi";

export type PaymentEventKind =
  | "payment.succeeded"
  | "payment.failed"
  | "payment.canceled"
  | "payment.refunded"
  | "refund.succeeded"
  | "refund.failed"
  | "other";

export interface PaymentEvent {
  /** The provider's event id (`evt_…`): the idempotency key of the webhook. */
  id: string;
  provider: string;
  /** The provider's own type, e.g. `payment_intent.succeeded`. */
  type: string;
  kind: PaymentEventKind;
  /** The charge it is about (`pi_…` for Stripe, `pay_…` for the test provider), when it names one. */
  paymentId: string | null;
  /** Minor units: the charged amount, or the refunded total for a refund. */
  amount: number | null;
  currency: string | null;
  /**
   * A refund event: the provider's id of the refund (`re_…`), when the event names it (a charge's
   * `refunds.data`, newest first). Motor records a refund as done only with this id. Absent from
   * events stored before it was parsed.
   */
  refundId?: string | null;
  /** The Motor checkout the charge was for (`metadata.motor_checkout_id`), when the event carries it. */
  checkoutId?: string | null;
}

const KINDS: Record<string, PaymentEventKind> = {
  "payment_intent.succeeded": "payment.succeeded",
  // a manual-capture intent was authorised (`requires_capture`): the money is secured for the checkout,
  // so a checkout waiting for the buyer may complete on it; its capture comes later (`succeeded` again)
  "payment_intent.amount_capturable_updated": "payment.succeeded",
  "payment_intent.payment_failed": "payment.failed",
  "payment_intent.canceled": "payment.canceled",
  "charge.refunded": "payment.refunded",
  "refund.failed": "refund.failed",
};

/** `charge.refund.updated` carries a Refund object: its status decides (`pending` and others change nothing). */
const REFUND_UPDATED: Record<string, PaymentEventKind> = {
  succeeded: "refund.succeeded",
  failed: "refund.failed",
  canceled: "refund.failed",
};

const eventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  data: z.object({
    object: z.looseObject({
      id: z.string().max(255).optional(),
      payment_intent: z.string().max(255).nullish(),
      amount: z.number().int().nullish(),
      amount_refunded: z.number().int().nullish(),
      currency: z.string().max(3).nullish(),
      status: z.string().max(64).nullish(),
      metadata: z.looseObject({ motor_checkout_id: z.string().max(255).optional() }).nullish(),
      refunds: z
        .looseObject({
          data: z
            .array(z.looseObject({ id: z.string().min(1).max(255) }))
            .max(100)
            .optional(),
        })
        .nullish(),
    }),
  }),
});

export function parsePaymentEvent(provider: string, rawBody: string): PaymentEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new ValidationError({ detail: "The webhook body is not JSON" });
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success)
    throw new ValidationError({ detail: "The webhook body is not a payment event", errors: fieldErrors(parsed.error) });
  const { id, type, data } = parsed.data;
  const object = data.object;
  const kind =
    type === "charge.refund.updated" ? (REFUND_UPDATED[object.status ?? ""] ?? "other") : (KINDS[type] ?? "other");
  const isRefund = kind === "payment.refunded";
  if (kind === "refund.succeeded" || kind === "refund.failed") {
    // the object is the Refund itself: its id is the refund, `payment_intent` the charge
    return {
      id,
      provider,
      type,
      kind,
      paymentId: object.payment_intent ?? null,
      amount: object.amount ?? null,
      currency: object.currency ? object.currency.toUpperCase() : null,
      refundId: object.id ?? null,
    };
  }
  return {
    id,
    provider,
    type,
    kind,
    paymentId: (isRefund ? object.payment_intent : object.id) ?? object.id ?? null,
    amount: (isRefund ? object.amount_refunded : object.amount) ?? null,
    currency: object.currency ? object.currency.toUpperCase() : null,
    refundId: isRefund ? (object.refunds?.data?.[0]?.id ?? null) : null,
    checkoutId: object.metadata?.motor_checkout_id ?? null,
  };
}
