/**
 * The payment provider interface the checkout charges through, and how one is chosen: the
 * built-in test provider (local default, Stripe-style test tokens) or the Stripe adapter.
 */
import { UnprocessableError } from "../../platform/errors";
import type { Currency } from "../../platform/money";
import type { PaymentEvent } from "./payment-event";

export interface ChargeInput {
  /** Integer minor units. */
  amount: number;
  currency: Currency;
  /** A provider payment-method token, e.g. `pm_card_visa`. */
  paymentMethod: string;
  /** The same key charges once: a retry answers the first attempt's result. */
  idempotencyKey: string;
  description?: string;
}

export interface ChargeResult {
  paymentId: string;
  status: "succeeded";
}

export interface RefundInput {
  paymentId: string;
  idempotencyKey: string;
  /** Minor units; the whole remaining amount when omitted. */
  amount?: number;
}

export interface RefundResult {
  refundId: string;
  paymentId: string;
  amount: number;
  status: "succeeded";
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Throws PaymentDeclinedError (402) or PaymentProviderError (503). */
  charge(input: ChargeInput): Promise<ChargeResult>;
  refund(input: RefundInput): Promise<RefundResult>;
  /** Verifies the signature over the raw body BEFORE parsing; throws WebhookSignatureError (400). */
  verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent>;
  /** Throws PaymentProviderError (503 + Retry-After) when a charge is known to fail now (open breaker). */
  assertAvailable?(): void;
}

export const PROVIDER_NAMES = ["test", "stripe"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Both providers refuse the same impossible charges before any money moves (a zero total is not a charge). */
export function assertChargeable(input: ChargeInput): void {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new UnprocessableError({ detail: "A charge needs a positive integer amount in minor units" });
  if (!input.idempotencyKey || input.idempotencyKey.length > 255) throw new UnprocessableError({ detail: "A charge needs an idempotency key of 1–255 characters" });
  if (!input.paymentMethod || input.paymentMethod.length > 255) throw new UnprocessableError({ detail: "A charge needs a payment method token of 1–255 characters" });
}

export function assertRefundable(input: RefundInput): void {
  if (input.amount !== undefined && (!Number.isSafeInteger(input.amount) || input.amount <= 0)) throw new UnprocessableError({ detail: "A refund amount must be a positive integer in minor units" });
  if (!input.idempotencyKey || input.idempotencyKey.length > 255) throw new UnprocessableError({ detail: "A refund needs an idempotency key of 1–255 characters" });
}
