/**
 * Stripe adapter over fetch: PaymentIntents created and confirmed in one call, refunds, webhook
 * verification. Every write carries an `Idempotency-Key`, so a retried charge is charged once by
 * Stripe itself — which is also why a timeout or a 5xx is retried here (full jitter, a few times).
 * Each call carries the request's `traceparent`, and has a timeout. Errors map to Motor's: card errors → PaymentDeclinedError (402); timeouts,
 * network failures, 5xx, 429 and auth errors → PaymentProviderError (503).
 */
import { UnprocessableError } from "../../platform/errors";
import { assertChargeable, assertRefundable, type ChargeInput, type ChargeResult, type PaymentProvider, type RefundInput, type RefundResult } from "./payment-provider";
import { parsePaymentEvent, type PaymentEvent } from "./payment-event";
import { PaymentDeclinedError, PaymentProviderError } from "./payments.errors";
import { verifyWebhookSignature } from "./webhook-signature";
import { withTraceHeaders } from "../../platform/observability/trace";
import { retryIdempotent, type RetryOptions } from "../../platform/resilience/retry";

export const STRIPE_API = "https://api.stripe.com/v1";
export const STRIPE_API_VERSION = "2024-06-20";
const DEFAULT_TIMEOUT_MS = 10_000;

interface StripeOptions {
  secretKey: string;
  webhookSecret: string | undefined;
  timeoutMs?: number | undefined;
  /** Retries of a failed write; safe because every write carries its Idempotency-Key. */
  retry?: Pick<RetryOptions, "attempts" | "baseMs" | "capMs"> | undefined;
}

interface StripeErrorBody {
  error?: { type?: string; code?: string; decline_code?: string; message?: string; payment_intent?: { id?: string } };
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
      // server-side confirmation: no redirect-based methods, the answer is final or an error
      "automatic_payment_methods[enabled]": "true",
      "automatic_payment_methods[allow_redirects]": "never",
    });
    if (input.description) form.set("description", input.description);
    const intent = await this.post<{ id: string; status: string }>("/payment_intents", form, input.idempotencyKey);
    if (intent.status !== "succeeded") throw new PaymentDeclinedError(intent.status === "requires_action" ? "authentication_required" : intent.status, `The payment is ${intent.status.replace(/_/g, " ")}`);
    return { paymentId: intent.id, status: "succeeded" };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertRefundable(input);
    const form = new URLSearchParams({ payment_intent: input.paymentId });
    if (input.amount !== undefined) form.set("amount", String(input.amount));
    const refund = await this.post<{ id: string; amount: number; status: string }>("/refunds", form, input.idempotencyKey);
    if (refund.status === "failed" || refund.status === "canceled") throw new PaymentProviderError("rejected", `Stripe refund ${refund.status}`);
    return { refundId: refund.id, paymentId: input.paymentId, amount: refund.amount, status: "succeeded" };
  }

  async verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent> {
    if (!this.options.webhookSecret) throw new PaymentProviderError("rejected", "STRIPE_WEBHOOK_SECRET is not configured");
    await verifyWebhookSignature(this.options.webhookSecret, headers.get("Stripe-Signature"), rawBody);
    return parsePaymentEvent(this.name, rawBody);
  }

  private post<T>(path: string, form: URLSearchParams, idempotencyKey: string): Promise<T> {
    const retry = this.options.retry ?? { attempts: 1, baseMs: 0, capMs: 0 };
    const retryable = (error: unknown) => error instanceof PaymentProviderError && error.reason !== "rejected";
    return retryIdempotent(() => this.postOnce<T>(path, form, idempotencyKey), { ...retry, retryable });
  }

  private async postOnce<T>(path: string, form: URLSearchParams, idempotencyKey: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(STRIPE_API + path, {
        method: "POST",
        headers: withTraceHeaders({
          Authorization: `Bearer ${this.options.secretKey}`,
          "Content-Type": "application/x-www-form-urlencoded",
          "Idempotency-Key": idempotencyKey,
          "Stripe-Version": STRIPE_API_VERSION,
        }),
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new PaymentProviderError(timedOut ? "timeout" : "unavailable", timedOut ? "The payment provider timed out" : "The payment provider is unreachable", error);
    }
    if (response.ok) return (await response.json()) as T;
    throw mapStripeError(response.status, (await response.json().catch(() => ({}))) as StripeErrorBody);
  }
}

/** Stripe's error types → Motor's errors; never leaks Stripe's message for non-card errors. */
export function mapStripeError(status: number, body: StripeErrorBody): Error {
  const error = body.error ?? {};
  if (error.type === "card_error") return new PaymentDeclinedError(error.decline_code ?? error.code ?? "card_declined", error.message);
  if (error.type === "idempotency_error") return new UnprocessableError({ detail: "This idempotency key was used for a different payment request" });
  if (status === 400 && error.code === "resource_missing" && error.message?.includes("payment_method")) return new PaymentDeclinedError("invalid_payment_method");
  if (status >= 500) return new PaymentProviderError("unavailable", "The payment provider failed");
  return new PaymentProviderError("rejected", `The payment provider refused the request (${status})`);
}
