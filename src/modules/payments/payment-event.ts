/**
 * Inbound payment events, normalised. Both providers send Stripe-shaped JSON
 * (`{ id, type, data: { object } }`), so one parser serves both; the orders module decides what
 * each kind does to an order.
 */
import * as z from "zod";
import { ValidationError } from "../../platform/errors";
import { fieldErrors } from "../../platform/openapi";

export type PaymentEventKind = "payment.succeeded" | "payment.failed" | "payment.refunded" | "other";

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
}

const KINDS: Record<string, PaymentEventKind> = {
  "payment_intent.succeeded": "payment.succeeded",
  "payment_intent.payment_failed": "payment.failed",
  "charge.refunded": "payment.refunded",
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
      refunds: z.looseObject({ data: z.array(z.looseObject({ id: z.string().min(1).max(255) })).max(100).optional() }).nullish(),
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
  if (!parsed.success) throw new ValidationError({ detail: "The webhook body is not a payment event", errors: fieldErrors(parsed.error) });
  const { id, type, data } = parsed.data;
  const kind = KINDS[type] ?? "other";
  const object = data.object;
  const isRefund = kind === "payment.refunded";
  return {
    id,
    provider,
    type,
    kind,
    paymentId: (isRefund ? object.payment_intent : object.id) ?? object.id ?? null,
    amount: (isRefund ? object.amount_refunded : object.amount) ?? null,
    currency: object.currency ? object.currency.toUpperCase() : null,
    refundId: isRefund ? (object.refunds?.data?.[0]?.id ?? null) : null,
  };
}
