/**
 * Stripe adapter over fetch: PaymentIntents created and confirmed in one call, refunds, manual
 * capture and void, webhook verification, and the list of recent intents for reconciliation. Every
 * write carries an `Idempotency-Key`, so a re-sent charge is charged once by Stripe itself; Stripe's
 * answers map onto Motor's three outcomes (payment-provider.ts). The calls and the mapping:
 * docs/payments.md, "Stripe adapter".
 */
import {
  assertChargeable,
  assertRefundable,
  MAX_CHARGE_PAGE,
  type CaptureInput,
  type CaptureResult,
  type ChargeInput,
  type ChargeListQuery,
  type ChargePage,
  type ChargeResult,
  type ChargeState,
  type NextAction,
  type PaymentProvider,
  type ProviderCharge,
  type ProviderRefund,
  type RefundInput,
  type RefundResult,
} from "./payment-provider";
import { parsePaymentEvent, type PaymentEvent } from "./payment-event";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "./payments.errors";
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
  /** Re-sends of a call whose outcome is unknown; safe because every write carries its Idempotency-Key. */
  retry?: Pick<RetryOptions, "attempts" | "baseMs" | "capMs"> | undefined;
}

interface StripeErrorBody {
  error?: { type?: string; code?: string; decline_code?: string; message?: string; payment_intent?: { id?: string } };
}

interface StripeIntent {
  id: string;
  status: string;
  client_secret?: string;
  next_action?: { type: string; redirect_to_url?: { url?: string } } | null;
  last_payment_error?: { code?: string; decline_code?: string } | null;
  amount: number;
  /** What was taken: the whole amount of an automatic intent, what its capture took for a manual one (0 before). */
  amount_received?: number;
  capture_method?: string;
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
      // a checkout that names where the buyer comes back may redirect them (3-D Secure); one that
      // does not allows no redirect-based methods, and a card that needs the buyer is finished in
      // the page with Stripe.js (`use_stripe_sdk`)
      ...(input.returnUrl
        ? { return_url: input.returnUrl }
        : { "automatic_payment_methods[allow_redirects]": "never" }),
      "automatic_payment_methods[enabled]": "true",
      // sent only for manual: an automatic charge's request (and so its key's fingerprint) stays as it always was
      ...(input.captureMethod === "manual" ? { capture_method: "manual" } : {}),
    });
    let intent = await this.request<StripeIntent>("POST", "/payment_intents", form, input.idempotencyKey);
    // a replayed key answers the first (stored) response: read the intent to learn where it is now
    if (intent.status === "processing")
      intent = await this.request<StripeIntent>("GET", `/payment_intents/${encodeURIComponent(intent.id)}`);
    // an authorised manual intent went through: the money is held for Motor (its capture takes it)
    if (intent.status === "succeeded" || intent.status === "requires_capture")
      return { paymentId: intent.id, status: "succeeded" };
    if (intent.status === "requires_action")
      return { paymentId: intent.id, status: "requires_action", nextAction: nextActionOf(intent) };
    if (intent.status === "processing")
      throw new PaymentOutcomeUnknownError("in_progress", "The payment is still processing");
    throw new PaymentDeclinedError(intent.status, `The payment is ${intent.status.replace(/_/g, " ")}`);
  }

  async retrieveCharge(paymentId: string): Promise<ChargeState> {
    return chargeStateOf(await this.request<StripeIntent>("GET", `/payment_intents/${encodeURIComponent(paymentId)}`));
  }

  /**
   * `POST /v1/payment_intents/{id}/cancel`; refused (400) once the intent succeeded: then it is read, and
   * kept. Stripe WOULD cancel an authorised manual intent (`requires_capture`: the buyer authenticated
   * first), which is a void, not "too late": it is read first and kept like a succeeded one. Should the
   * buyer authenticate between the read and the cancel, the cancel voids it and answers `canceled`:
   * the checkout expires and nothing is taken, which is consistent.
   */
  async cancelCharge(paymentId: string): Promise<ChargeState> {
    const before = await this.retrieveCharge(paymentId);
    if (before.uncaptured) return before;
    try {
      return chargeStateOf(
        await this.request<StripeIntent>(
          "POST",
          `/payment_intents/${encodeURIComponent(paymentId)}/cancel`,
          new URLSearchParams({ cancellation_reason: "abandoned" }),
          `${paymentId}:cancel`,
        ),
      );
    } catch (error) {
      if (!(error instanceof PaymentRejectedError)) throw error;
      return this.retrieveCharge(paymentId);
    }
  }

  /**
   * `POST /v1/payment_intents/{id}/capture` with `amount_to_capture` (the rest of the authorisation is
   * released). Stripe captures an intent once: a second capture, or one of a voided or expired intent,
   * is a 400 `payment_intent_unexpected_state`. Then the intent is read: if it took exactly what this
   * capture asks, that capture happened and its answer was lost (a re-send after the key was forgotten,
   * or a 5xx Stripe did not store), so it is answered as done. Anything else can never capture: rejected.
   */
  async capture(input: CaptureInput): Promise<CaptureResult> {
    assertCapturable(input);
    const path = `/payment_intents/${encodeURIComponent(input.paymentId)}`;
    let intent: StripeIntent;
    try {
      intent = await this.request<StripeIntent>(
        "POST",
        `${path}/capture`,
        new URLSearchParams({ amount_to_capture: String(input.amount) }),
        input.idempotencyKey,
      );
    } catch (error) {
      if (!(error instanceof UnexpectedStateError)) throw error;
      intent = await this.request<StripeIntent>("GET", path);
      if (intent.status !== "succeeded" || intent.amount_received !== input.amount)
        throw new PaymentRejectedError(`The payment cannot be captured: it is ${intent.status.replace(/_/g, " ")}`);
    }
    return captureResultOf(intent);
  }

  /**
   * `POST /v1/payment_intents/{id}/cancel` (`requested_by_customer`): Stripe releases the held money, no
   * refund, no fee. Once cancelled (or captured) a cancel is a 400 `payment_intent_unexpected_state`:
   * the intent is read, and one already cancelled is done (a void is idempotent whatever its key); a
   * captured one took the money, and only a refund gives it back: rejected.
   */
  async voidAuthorization(paymentId: string, idempotencyKey: string): Promise<void> {
    if (!idempotencyKey || idempotencyKey.length > 255)
      throw new PaymentRejectedError("A void needs an idempotency key of 1–255 characters");
    const path = `/payment_intents/${encodeURIComponent(paymentId)}`;
    let intent: StripeIntent;
    try {
      intent = await this.request<StripeIntent>(
        "POST",
        `${path}/cancel`,
        new URLSearchParams({ cancellation_reason: "requested_by_customer" }),
        idempotencyKey,
      );
    } catch (error) {
      if (!(error instanceof UnexpectedStateError)) throw error;
      intent = await this.request<StripeIntent>("GET", path);
    }
    if (intent.status !== "canceled")
      throw new PaymentRejectedError(`The payment cannot be voided: it is ${intent.status.replace(/_/g, " ")}`);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertRefundable(input);
    const form = new URLSearchParams({ payment_intent: input.paymentId });
    if (input.amount !== undefined) form.set("amount", String(input.amount));
    const refund = await this.request<{ id: string; amount: number; status: string }>(
      "POST",
      "/refunds",
      form,
      input.idempotencyKey,
    );
    if (refund.status === "failed" || refund.status === "canceled")
      throw new PaymentRejectedError(`Stripe refund ${refund.status}`);
    // `pending` (or `requires_action`) is not money back yet: `charge.refund.updated` / `refund.failed` settle it
    return {
      refundId: refund.id,
      paymentId: input.paymentId,
      amount: refund.amount,
      status: refund.status === "succeeded" ? "succeeded" : "pending",
    };
  }

  /**
   * The intent made for a checkout: searched by `metadata['motor_checkout_id']` (Stripe's search is
   * eventually consistent, so "none" is never proof that nothing was charged; a found intent is). An
   * authorised manual intent (`requires_capture`) is found too: its money is held, and it is voided.
   */
  async findCharge(checkoutId: string): Promise<ProviderCharge | null> {
    const query = new URLSearchParams({
      query: `metadata['motor_checkout_id']:'${checkoutId.replace(/['\\]/g, "")}'`,
      limit: "10",
      "expand[]": "data.latest_charge",
    });
    const found = await this.request<{ data: StripeIntent[] }>("GET", `/payment_intents/search?${query}`);
    const intent = found.data.find(
      (entry) =>
        (entry.status === "succeeded" || entry.status === "requires_capture") &&
        entry.metadata?.motor_checkout_id === checkoutId,
    );
    return intent ? toProviderCharge(intent, checkoutId) : null;
  }

  /** `GET /v1/refunds?payment_intent=…`: the refunds Stripe holds for a charge. */
  async listRefunds(paymentId: string): Promise<ProviderRefund[]> {
    const query = new URLSearchParams({ payment_intent: paymentId, limit: "100" });
    const list = await this.request<{ data: { id: string; amount: number; status: string }[] }>(
      "GET",
      `/refunds?${query}`,
    );
    return list.data.map((refund) => ({
      refundId: refund.id,
      paymentId,
      amount: refund.amount,
      status:
        refund.status === "succeeded"
          ? "succeeded"
          : refund.status === "failed" || refund.status === "canceled"
            ? "failed"
            : "pending",
    }));
  }

  async verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent> {
    if (!this.options.webhookSecret) throw new PaymentRejectedError("STRIPE_WEBHOOK_SECRET is not configured");
    await verifyWebhookSignature(this.options.webhookSecret, headers.get("Stripe-Signature"), rawBody);
    return parsePaymentEvent(this.name, rawBody);
  }

  /**
   * One page of PaymentIntents created in `[since, until)` that carry Motor's checkout id (metadata),
   * newest first: `created[gte]`/`created[lt]`, `limit` ≤ 100, `starting_after` the page's last
   * intent (kept or not: the cursor walks Stripe's list, not Motor's subset).
   */
  async listCharges({ since, until, limit = MAX_CHARGE_PAGE, cursor }: ChargeListQuery): Promise<ChargePage> {
    const query = new URLSearchParams({
      limit: String(limit),
      "created[gte]": String(Math.floor(since / 1000)),
      "created[lt]": String(Math.ceil(until / 1000)),
      "expand[]": "data.latest_charge",
    });
    if (cursor) query.set("starting_after", cursor);
    const list = await this.request<{ data: StripeIntent[]; has_more: boolean }>("GET", `/payment_intents?${query}`);
    const data = list.data.flatMap((intent) =>
      intent.metadata?.motor_checkout_id ? [toProviderCharge(intent, intent.metadata.motor_checkout_id)] : [],
    );
    const last = list.data.at(-1)?.id;
    return { data, nextCursor: list.has_more && last ? last : null };
  }

  private request<T>(
    method: "GET" | "POST",
    path: string,
    form?: URLSearchParams,
    idempotencyKey?: string,
  ): Promise<T> {
    const retry = this.options.retry ?? { attempts: 1, baseMs: 0, capMs: 0 };
    const retryable = (error: unknown) => error instanceof PaymentOutcomeUnknownError;
    return retryIdempotent(() => this.requestOnce<T>(method, path, form, idempotencyKey), { ...retry, retryable });
  }

  private async requestOnce<T>(
    method: "GET" | "POST",
    path: string,
    form?: URLSearchParams,
    idempotencyKey?: string,
  ): Promise<T> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.secretKey}`,
      "Stripe-Version": STRIPE_API_VERSION,
    };
    if (form) headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    let response: Response;
    try {
      response = await fetch(STRIPE_API + path, {
        method,
        headers: withTraceHeaders(headers),
        body: form?.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new PaymentOutcomeUnknownError(
        timedOut ? "timeout" : "unavailable",
        timedOut ? "The payment provider timed out" : "The payment provider is unreachable",
        error,
      );
    }
    if (response.ok) return (await response.json()) as T;
    throw mapStripeError(response.status, (await response.json().catch(() => ({}))) as StripeErrorBody);
  }
}

/** `redirect_to_url` (a return URL was given) or `use_stripe_sdk` (Stripe.js finishes it with the client secret). */
function nextActionOf(intent: StripeIntent): NextAction {
  const url = intent.next_action?.redirect_to_url?.url;
  const clientSecret = intent.client_secret ?? "";
  if (intent.next_action?.type === "redirect_to_url" && url)
    return { type: "redirect", url, ...(clientSecret ? { clientSecret } : {}) };
  return { type: "use_stripe_sdk", clientSecret };
}

/**
 * Where an intent stands: a failed authentication leaves it `requires_payment_method` with the reason
 * in `last_payment_error`; an authorised manual one (`requires_capture`) succeeded, uncaptured.
 */
function chargeStateOf(intent: StripeIntent): ChargeState {
  if (intent.status === "requires_capture") return { paymentId: intent.id, status: "succeeded", uncaptured: true };
  if (intent.status === "succeeded" || intent.status === "processing" || intent.status === "canceled")
    return { paymentId: intent.id, status: intent.status };
  if (intent.status === "requires_payment_method") {
    const reason =
      intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? "authentication_failed";
    return { paymentId: intent.id, status: "failed", declineCode: reason };
  }
  return { paymentId: intent.id, status: "requires_action" };
}

/**
 * A charge as reconciliation compares it: an authorised manual intent succeeded but `uncaptured` (an
 * orphan one is voided), and a captured one is worth what its capture took (`amount_received`, the
 * rest of the authorisation was released), not what was authorised.
 */
function toProviderCharge(intent: StripeIntent, checkoutId: string): ProviderCharge {
  const charge = typeof intent.latest_charge === "object" && intent.latest_charge ? intent.latest_charge : undefined;
  const authorised = intent.status === "requires_capture";
  return {
    paymentId: intent.id,
    checkoutId,
    orderId: intent.metadata?.motor_order_id ?? null,
    amount: intent.status === "succeeded" ? (intent.amount_received ?? intent.amount) : intent.amount,
    amountRefunded: charge?.amount_refunded ?? 0,
    currency: intent.currency.toUpperCase(),
    // an intent that waits for the buyer may still capture: reconciliation looks at it again, like one
    // processing (`requires_payment_method` is every declined card's state too: Motor cancels those
    // of a failed authentication, so they are not watched)
    status:
      intent.status === "succeeded" || authorised
        ? "succeeded"
        : ["processing", "requires_action", "requires_confirmation"].includes(intent.status)
          ? "processing"
          : "failed",
    ...(authorised ? { uncaptured: true } : {}),
    createdAt: intent.created * 1000,
  };
}

/** A capture's answer: what Stripe took (`amount_received`); any state but `succeeded` did not take it. */
function captureResultOf(intent: StripeIntent): CaptureResult {
  if (intent.status === "succeeded")
    return { paymentId: intent.id, amountCaptured: intent.amount_received ?? intent.amount };
  if (intent.status === "processing")
    throw new PaymentOutcomeUnknownError("in_progress", "The capture is still processing");
  throw new PaymentRejectedError(`The payment was not captured: it is ${intent.status.replace(/_/g, " ")}`);
}

/** Checked before anything is sent: a capture without a key could take money twice on a re-send. */
function assertCapturable(input: CaptureInput): void {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    throw new PaymentRejectedError("A capture amount must be a positive integer in minor units");
  if (!input.idempotencyKey || input.idempotencyKey.length > 255)
    throw new PaymentRejectedError("A capture needs an idempotency key of 1–255 characters");
}

/**
 * Stripe's 400 `payment_intent_unexpected_state`: the intent is not in a state the call needs (a second
 * capture, a cancel of a captured one). Still a refused request; capture and void read the intent to
 * tell whether what they asked already happened.
 */
class UnexpectedStateError extends PaymentRejectedError {}

/** Stripe's error types → Motor's; never leaks Stripe's message for non-card errors. */
export function mapStripeError(status: number, body: StripeErrorBody): Error {
  const error = body.error ?? {};
  if (error.type === "card_error")
    return new PaymentDeclinedError(error.decline_code ?? error.code ?? "card_declined", error.message);
  // another request with this key is still running at Stripe: its outcome is not known yet
  if (status === 409 || error.code === "idempotency_key_in_use")
    return new PaymentOutcomeUnknownError("in_progress", "The payment provider is still processing this payment");
  if (error.type === "idempotency_error")
    return new PaymentRejectedError("This idempotency key was used with other payment parameters");
  if (status === 400 && error.code === "resource_missing" && error.message?.includes("payment_method"))
    return new PaymentDeclinedError("invalid_payment_method");
  if (status === 400 && error.code === "payment_intent_unexpected_state")
    return new UnexpectedStateError("The payment is not in a state that allows this");
  if (status >= 500) return new PaymentOutcomeUnknownError("unavailable", "The payment provider failed");
  // Stripe rate-limits BEFORE it looks at the Idempotency-Key: a 429 says nothing about an earlier request under it
  if (status === 429 || error.code === "rate_limit")
    return new PaymentOutcomeUnknownError("rate_limited", "The payment provider rate-limited the request");
  return new PaymentRejectedError(`The payment provider refused the request (${status})`);
}
