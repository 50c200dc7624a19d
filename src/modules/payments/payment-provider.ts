/**
 * The payment provider interface the checkout charges through, and how one is chosen (the built-in
 * test provider, or the Stripe adapter). A charge ends in exactly one of three ways — succeeded,
 * definitely not charged (declined 402, or rejected), or unknown, which only re-sending the identical
 * request under the same key resolves. docs/payments.md, "Interface".
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
  description: string;
  /** What the charge is for; reconciliation matches provider charges to orders by it. */
  metadata: { checkoutId: string; orderId: string };
  /** Where the provider sends the buyer back after authenticating (3-D Secure); part of "the same request". */
  returnUrl?: string | undefined;
  /**
   * `manual` only authorises: the money is held on the card until `capture` takes it (at the first
   * fulfillment) or `voidAuthorization` releases it. Part of "the same request"; absent = automatic.
   */
  captureMethod?: CaptureMethod | undefined;
}

/** `automatic`: the charge takes the money at once; `manual`: it authorises, and a later capture takes it (PAYMENT_CAPTURE). */
export const CAPTURE_METHODS = ["automatic", "manual"] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

/**
 * How long an authorisation holds (Stripe: 7 days for online card payments). Past it the bank
 * releases the money and a capture fails: the expiry policy (orders/order-payment.ts, ACT_BEFORE_EXPIRY_MS) acts
 * before, with a margin.
 */
export const AUTHORIZATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

export interface CaptureInput {
  paymentId: string;
  /** Minor units, at most what was authorised; the rest of the authorisation is released (one capture per payment). */
  amount: number;
  idempotencyKey: string;
}

export interface CaptureResult {
  paymentId: string;
  /** What was taken. */
  amountCaptured: number;
}

/**
 * How the buyer authenticates a payment that waits for them (3-D Secure): `redirect` to `url`
 * (they come back to the return URL), or — Stripe's `use_stripe_sdk`, when the checkout named no
 * return URL — in the page with Stripe.js, which needs the intent's `clientSecret`.
 */
export type NextAction =
  { type: "redirect"; url: string; clientSecret?: string } | { type: "use_stripe_sdk"; clientSecret: string };

/**
 * A charge that went through, or one that waits for the buyer: nothing is captured until they
 * authenticate, and only the provider (asked with `retrieveCharge`, or its webhook) says they did.
 */
export type ChargeResult =
  { paymentId: string; status: "succeeded" } | { paymentId: string; status: "requires_action"; nextAction: NextAction };

/** A charge as the provider holds it now: the truth a waiting checkout is finished from, never the client's word. */
export interface ChargeState {
  paymentId: string;
  status: "succeeded" | "requires_action" | "processing" | "failed" | "canceled";
  /** Why it failed (`authentication_failed`, a decline code). */
  declineCode?: string | undefined;
  /** `succeeded` but only authorised (manual capture): the money is held, not taken. Absent = captured. */
  uncaptured?: boolean | undefined;
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
  /** `pending` until the provider says `succeeded` (its event): a pending refund is not money back yet. */
  status: "succeeded" | "pending";
}

/** A refund as the provider's books show it. */
export interface ProviderRefund {
  refundId: string;
  paymentId: string;
  amount: number;
  status: "succeeded" | "pending" | "failed";
}

/**
 * Providers forget idempotency keys after this (Stripe: 24 h): past it, no charge or refund is
 * re-sent under an old key without first looking up what the provider already has.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** A charge as the provider's books show it (reconciliation). */
export interface ProviderCharge {
  paymentId: string;
  checkoutId: string | null;
  orderId: string | null;
  amount: number;
  amountRefunded: number;
  currency: string;
  status: "succeeded" | "processing" | "failed";
  /** `succeeded` but only authorised (manual capture, Stripe `requires_capture`): an orphan one is voided, not refunded. */
  uncaptured?: boolean | undefined;
  createdAt: number;
}

/** Stripe's own cap on a list page; both providers refuse a larger `limit`. */
export const MAX_CHARGE_PAGE = 100;

export interface ChargeListQuery {
  /** Created at or after (ms). */
  since: number;
  /** Created before (ms). */
  until: number;
  /** 1–100 (`MAX_CHARGE_PAGE`, the default). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

export interface ChargePage {
  data: ProviderCharge[];
  nextCursor: string | null;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Throws PaymentDeclinedError (402), PaymentRejectedError (not charged) or PaymentOutcomeUnknownError. */
  charge(input: ChargeInput): Promise<ChargeResult>;
  /** Any error means "not refunded yet": the caller keeps its refund pending and retries with the same key. */
  refund(input: RefundInput): Promise<RefundResult>;
  /** Verifies the signature over the raw body BEFORE parsing; throws WebhookSignatureError (400). */
  verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent>;
  /**
   * One page of the charges created in `[since, until)` (ms) that carry Motor's checkout id, newest
   * first, Stripe's way: at most `MAX_CHARGE_PAGE` per page (more is refused), and the next page
   * starts after `nextCursor` (null on the last page). Reconciliation walks every page.
   */
  listCharges(query: ChargeListQuery): Promise<ChargePage>;
  /**
   * The charge made for a checkout, looked up by its checkout id (Stripe: search by
   * `metadata.motor_checkout_id`; test provider: its ledger), or null when the provider shows none.
   * Asked before a checkout that may have been charged is compensated without a payment id.
   */
  findCharge?(checkoutId: string): Promise<ProviderCharge | null>;
  /** The refunds the provider holds for a charge (a lookup before anything is re-sent after its key may be forgotten). */
  listRefunds?(paymentId: string): Promise<ProviderRefund[]>;
  /** Where a charge stands now (a checkout waiting for the buyer asks this; throws PaymentOutcomeUnknownError when it cannot learn). */
  retrieveCharge?(paymentId: string): Promise<ChargeState>;
  /**
   * Cancels a charge that still waits for the buyer (its window passed) and answers where it stands:
   * `canceled`, or `succeeded` when the buyer authenticated first (then it is kept, never cancelled).
   */
  cancelCharge?(paymentId: string): Promise<ChargeState>;
  /**
   * Takes `amount` (≤ authorised) of an authorised payment, once: the same key answers the same
   * capture. Throws PaymentRejectedError when it cannot ever capture (voided, expired, above what was
   * authorised, already captured under another key), PaymentOutcomeUnknownError when it may have.
   */
  capture(input: CaptureInput): Promise<CaptureResult>;
  /**
   * Releases an authorisation that was not captured (Stripe: cancel the intent): no refund, no fee.
   * Idempotent: one already voided answers as done. Throws PaymentRejectedError when it was captured.
   */
  voidAuthorization(paymentId: string, idempotencyKey: string): Promise<void>;
  /** Throws a 503 with Retry-After when a charge is known to fail now (open breaker): checked before any stock is held. */
  assertAvailable?(): void;
}

export const PROVIDER_NAMES = ["test", "stripe"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * The smallest amount a charge may have, per currency (Stripe's published minimums; the test
 * provider mirrors them). The checkout refuses a smaller positive total with a 422 BEFORE any stock
 * is reserved; a zero total is a free order that charges nothing (docs/checkout.md).
 */
const MINIMUM_CHARGE: Record<string, number> = { USD: 50, EUR: 50, GBP: 30, CHF: 50 };

export function minimumCharge(currency: string): number {
  return MINIMUM_CHARGE[currency] ?? 50;
}

/** Both providers refuse the same impossible charges before any money moves (a zero total is not a charge). */
export function assertChargeable(input: ChargeInput): void {
  if (!Number.isSafeInteger(input.amount) || input.amount < minimumCharge(input.currency)) {
    throw new UnprocessableError({
      detail: `A charge needs an integer amount of at least ${minimumCharge(input.currency)} minor units`,
    });
  }
  if (!input.idempotencyKey || input.idempotencyKey.length > 255)
    throw new UnprocessableError({ detail: "A charge needs an idempotency key of 1–255 characters" });
  if (!input.paymentMethod || input.paymentMethod.length > 255)
    throw new UnprocessableError({ detail: "A charge needs a payment method token of 1–255 characters" });
}

export function assertRefundable(input: RefundInput): void {
  if (input.amount !== undefined && (!Number.isSafeInteger(input.amount) || input.amount <= 0))
    throw new UnprocessableError({ detail: "A refund amount must be a positive integer in minor units" });
  if (!input.idempotencyKey || input.idempotencyKey.length > 255)
    throw new UnprocessableError({ detail: "A refund needs an idempotency key of 1–255 characters" });
}

/**
 * The idempotency key of the full refund of a checkout's charge. The checkout's compensation and
 * reconciliation (an orphan charge) send the same request, so whichever comes first refunds, once.
 */
export const fullRefundKey = (checkoutId: string) => `${checkoutId}:refund`;

/**
 * The key a refund that failed at the provider is sent again under: new (the old key would replay
 * the failure), and derived from the failed refund's id, so every path that retries it (the event,
 * the sweep, reconciliation) sends the same request and money goes back once.
 */
export const keyAfterFailedRefund = (base: string, failedRefundId: string) =>
  `${base}:after:${failedRefundId}`.slice(0, 255);
export const isKeyAfterFailedRefund = (key: string) => key.includes(":after:");

/** The parameters that make a charge request "the same request" for provider-side idempotency. */
export function chargeParameters(input: ChargeInput): string {
  const base = [
    input.amount,
    input.currency,
    input.paymentMethod,
    input.description,
    input.metadata.checkoutId,
    input.metadata.orderId,
  ];
  // a charge without a return URL (or captured automatically) keeps the fingerprint it always had
  const withReturn = input.returnUrl === undefined ? base : [...base, input.returnUrl];
  return JSON.stringify(input.captureMethod === "manual" ? [...withReturn, "capture:manual"] : withReturn);
}
