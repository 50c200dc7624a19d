/**
 * Stripe adapter over fetch: PaymentIntents created and confirmed in one call, refunds, webhook
 * verification, and the list of recent intents for reconciliation. Every write carries an
 * `Idempotency-Key`, so a re-sent charge is charged once by Stripe itself. Outcomes map to Motor's
 * three (payment-provider.ts): card errors → declined (402); a refused request (4xx other than
 * 409/429 for a key in use) → rejected, nothing charged; timeouts, network failures, 5xx, 409
 * "idempotency key in use" and an intent left `processing` → outcome unknown.
 */
import {
  assertChargeable,
  assertRefundable,
  type ChargeInput,
  type ChargeResult,
  type PaymentProvider,
  type ProviderCharge,
  type RefundInput,
  type RefundResult,
} from "./payment-provider";
import { parsePaymentEvent, type PaymentEvent } from "./payment-event";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "./payments.errors";
import { verifyWebhookSignature } from "./webhook-signature";

export const STRIPE_API = "https://api.stripe.com/v1";
export const STRIPE_API_VERSION = "2024-06-20";
const DEFAULT_TIMEOUT_MS = 10_000;
/** Reconciliation reads at most this many pages of 100 intents per run. */
const MAX_LIST_PAGES = 20;

interface StripeOptions {
  secretKey: string;
  webhookSecret: string | undefined;
  timeoutMs?: number;
}

interface StripeErrorBody {
  error?: { type?: string; code?: string; decline_code?: string; message?: string; payment_intent?: { id?: string } };
}

interface StripeIntent {
  id: string;
  status: string;
  amount: number;
  currency: string;
  created: number;
  metadata?: Record<string, string>;
  latest_charge?: { amount_refunded?: number } | string | null;
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = "stripe" as const;

  constructor(private readonly options: StripeOptions) {}

  async charge(input: ChargeInput): Promise<ChargeResult> {
    assertChargeable(input);
    const form = new URLSearchParams({
      amount: String(input.amount),
      currency: input.currency.toLowerCase(),
      payment_method: input.paymentMethod,
      confirm: "true",
      description: input.description,
      "metadata[motor_checkout_id]": input.metadata.checkoutId,
      "metadata[motor_order_id]": input.metadata.orderId,
      // server-side confirmation: no redirect-based methods, the answer is final or an error
      "automatic_payment_methods[enabled]": "true",
      "automatic_payment_methods[allow_redirects]": "never",
    });
    let intent = await this.request<StripeIntent>("POST", "/payment_intents", form, input.idempotencyKey);
    // a replayed key answers the first (stored) response: read the intent to learn where it is now
    if (intent.status === "processing") intent = await this.request<StripeIntent>("GET", `/payment_intents/${encodeURIComponent(intent.id)}`);
    if (intent.status === "succeeded") return { paymentId: intent.id, status: "succeeded" };
    if (intent.status === "processing") throw new PaymentOutcomeUnknownError("in_progress", "The payment is still processing");
    throw new PaymentDeclinedError(intent.status === "requires_action" ? "authentication_required" : intent.status, `The payment is ${intent.status.replace(/_/g, " ")}`);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertRefundable(input);
    const form = new URLSearchParams({ payment_intent: input.paymentId });
    if (input.amount !== undefined) form.set("amount", String(input.amount));
    const refund = await this.request<{ id: string; amount: number; status: string }>("POST", "/refunds", form, input.idempotencyKey);
    if (refund.status === "failed" || refund.status === "canceled") throw new PaymentRejectedError(`Stripe refund ${refund.status}`);
    return { refundId: refund.id, paymentId: input.paymentId, amount: refund.amount, status: "succeeded" };
  }

  async verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent> {
    if (!this.options.webhookSecret) throw new PaymentRejectedError("STRIPE_WEBHOOK_SECRET is not configured");
    await verifyWebhookSignature(this.options.webhookSecret, headers.get("Stripe-Signature"), rawBody);
    return parsePaymentEvent(this.name, rawBody);
  }

  /** PaymentIntents created since `since` that carry Motor's checkout id (metadata), oldest first. */
  async listCharges(since: number): Promise<ProviderCharge[]> {
    const charges: ProviderCharge[] = [];
    let startingAfter: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const query = new URLSearchParams({ limit: "100", "created[gte]": String(Math.floor(since / 1000)), "expand[]": "data.latest_charge" });
      if (startingAfter) query.set("starting_after", startingAfter);
      const list = await this.request<{ data: StripeIntent[]; has_more: boolean }>("GET", `/payment_intents?${query}`);
      for (const intent of list.data) {
        const checkoutId = intent.metadata?.motor_checkout_id;
        if (checkoutId) charges.push(toProviderCharge(intent, checkoutId));
      }
      startingAfter = list.data.at(-1)?.id;
      if (!list.has_more || !startingAfter) break;
    }
    return charges.sort((a, b) => a.createdAt - b.createdAt);
  }

  private async request<T>(method: "GET" | "POST", path: string, form?: URLSearchParams, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.secretKey}`, "Stripe-Version": STRIPE_API_VERSION };
    if (form) headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    let response: Response;
    try {
      response = await fetch(STRIPE_API + path, { method, headers, body: form?.toString(), signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new PaymentOutcomeUnknownError(timedOut ? "timeout" : "unavailable", timedOut ? "The payment provider timed out" : "The payment provider is unreachable", error);
    }
    if (response.ok) return (await response.json()) as T;
    throw mapStripeError(response.status, (await response.json().catch(() => ({}))) as StripeErrorBody);
  }
}

function toProviderCharge(intent: StripeIntent, checkoutId: string): ProviderCharge {
  const charge = typeof intent.latest_charge === "object" && intent.latest_charge ? intent.latest_charge : undefined;
  return {
    paymentId: intent.id,
    checkoutId,
    orderId: intent.metadata?.motor_order_id ?? null,
    amount: intent.amount,
    amountRefunded: charge?.amount_refunded ?? 0,
    currency: intent.currency.toUpperCase(),
    status: intent.status === "succeeded" ? "succeeded" : intent.status === "processing" ? "processing" : "failed",
    createdAt: intent.created * 1000,
  };
}

/** Stripe's error types → Motor's; never leaks Stripe's message for non-card errors. */
export function mapStripeError(status: number, body: StripeErrorBody): Error {
  const error = body.error ?? {};
  if (error.type === "card_error") return new PaymentDeclinedError(error.decline_code ?? error.code ?? "card_declined", error.message);
  // another request with this key is still running at Stripe: its outcome is not known yet
  if (status === 409 || error.code === "idempotency_key_in_use") return new PaymentOutcomeUnknownError("in_progress", "The payment provider is still processing this payment");
  if (error.type === "idempotency_error") return new PaymentRejectedError("This idempotency key was used with other payment parameters");
  if (status === 400 && error.code === "resource_missing" && error.message?.includes("payment_method")) return new PaymentDeclinedError("invalid_payment_method");
  if (status >= 500) return new PaymentOutcomeUnknownError("unavailable", "The payment provider failed");
  return new PaymentRejectedError(`The payment provider refused the request (${status})`);
}
