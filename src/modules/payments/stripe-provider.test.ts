import { describe, expect, it } from "vitest";
import { newId } from "../../platform/ids";
import { describePaymentProviderContract } from "./payment-provider.case";
import { PaymentDeclinedError, PaymentProviderError } from "./payments.errors";
import { StripePaymentProvider } from "./stripe-provider";
import { installFakeStripe } from "./stripe.fixtures";
import { continueTrace, runInTrace } from "../../platform/observability/trace";

const stripe = (timeoutMs?: number) => new StripePaymentProvider({ secretKey: "sk_test_motor", webhookSecret: "whsec_motor", timeoutMs });

describePaymentProviderContract("the Stripe adapter (fetch mocked)", () => {
  const fake = installFakeStripe();
  return { provider: stripe(), chargesCreated: async () => fake.chargesCreated() };
});

const TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const retrying = () => new StripePaymentProvider({ secretKey: "sk_test_motor", webhookSecret: "whsec_motor", retry: { attempts: 3, baseMs: 1, capMs: 2 } });

describe("the Stripe adapter's resilience and tracing", () => {
  it("sends the current traceparent on every call", async () => {
    const fake = installFakeStripe();
    await runInTrace(continueTrace(TRACE), () => stripe().charge({ amount: 100, currency: "EUR", paymentMethod: "pm_card_visa", idempotencyKey: newId("chk") }));
    expect(fake.seen[0]?.headers.get("traceparent")).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  });

  it("retries a 5xx with the same Idempotency-Key (the write is idempotent) and succeeds", async () => {
    let failures = 2;
    const fake = installFakeStripe(() => (failures-- > 0 ? { status: 500, body: { error: { type: "api_error" } } } : undefined));
    const key = newId("chk");
    await expect(retrying().charge({ amount: 100, currency: "EUR", paymentMethod: "pm_card_visa", idempotencyKey: key })).resolves.toMatchObject({ status: "succeeded" });
    expect(fake.seen.map((request) => request.headers.get("Idempotency-Key"))).toEqual([key, key, key]);
  });

  it("does not retry a decline: the provider answered", async () => {
    const fake = installFakeStripe();
    await expect(retrying().charge({ amount: 100, currency: "EUR", paymentMethod: "pm_card_chargeDeclined", idempotencyKey: newId("chk") })).rejects.toBeInstanceOf(PaymentDeclinedError);
    expect(fake.seen).toHaveLength(1);
  });
});

describe("the Stripe adapter's requests", () => {
  it("creates and confirms a PaymentIntent: form body, bearer key, Idempotency-Key", async () => {
    const fake = installFakeStripe();
    const key = newId("chk");
    await stripe().charge({ amount: 1_999, currency: "USD", paymentMethod: "pm_card_visa", idempotencyKey: key, description: "Order ord_1" });
    const [request] = fake.seen;
    expect(request?.url).toBe("https://api.stripe.com/v1/payment_intents");
    expect(request?.headers.get("Authorization")).toBe("Bearer sk_test_motor");
    expect(request?.headers.get("Idempotency-Key")).toBe(key);
    expect(request?.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      amount: "1999",
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: "true",
      "automatic_payment_methods[enabled]": "true",
      "automatic_payment_methods[allow_redirects]": "never",
      description: "Order ord_1",
    });
  });

  it("refunds through /v1/refunds with the payment intent, the amount and its own key", async () => {
    const fake = installFakeStripe();
    const key = newId("ref");
    expect(await stripe().refund({ paymentId: "pi_123", idempotencyKey: key, amount: 500 })).toMatchObject({ paymentId: "pi_123", amount: 500 });
    const [request] = fake.seen;
    expect(request?.url).toBe("https://api.stripe.com/v1/refunds");
    expect(request?.headers.get("Idempotency-Key")).toBe(key);
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ payment_intent: "pi_123", amount: "500" });
  });
});

describe("the Stripe adapter's error mapping", () => {
  const charge = (timeoutMs?: number) => stripe(timeoutMs).charge({ amount: 100, currency: "EUR", paymentMethod: "pm_card_visa", idempotencyKey: newId("chk") });

  it("maps a 5xx to a retryable provider error", async () => {
    installFakeStripe(() => ({ status: 500, body: { error: { type: "api_error", message: "internal secret detail" } } }));
    const error = await charge().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect(error).toMatchObject({ status: 503, reason: "unavailable" });
    expect(String((error as Error).message)).not.toContain("secret");
  });

  it("maps a network failure and a timeout to provider errors", async () => {
    installFakeStripe(() => {
      throw new TypeError("Network connection lost");
    });
    await expect(charge()).rejects.toMatchObject({ status: 503, reason: "unavailable" });
    installFakeStripe(() => new Promise(() => undefined));
    await expect(charge(30)).rejects.toMatchObject({ status: 503, reason: "timeout" });
  });

  it("maps an authentication error and a rate limit to provider errors, not declines", async () => {
    installFakeStripe(() => ({ status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key" } } }));
    await expect(charge()).rejects.toMatchObject({ status: 503, reason: "rejected" });
    installFakeStripe(() => ({ status: 429, body: { error: { type: "rate_limit_error" } } }));
    await expect(charge()).rejects.toMatchObject({ status: 503 });
  });

  it("maps a card error to a decline with Stripe's decline code, and an unknown payment method too", async () => {
    installFakeStripe(() => ({ status: 402, body: { error: { type: "card_error", code: "expired_card" } } }));
    await expect(charge()).rejects.toMatchObject({ status: 402, declineCode: "expired_card" });
    installFakeStripe();
    await expect(stripe().charge({ amount: 100, currency: "EUR", paymentMethod: "pm_nope", idempotencyKey: newId("chk") })).rejects.toMatchObject({ declineCode: "invalid_payment_method" });
  });

  it("maps a reused idempotency key to a 422 and a payment needing 3-D Secure to a decline", async () => {
    installFakeStripe(() => ({ status: 400, body: { error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters" } } }));
    await expect(charge()).rejects.toMatchObject({ status: 422 });
    installFakeStripe(() => ({ status: 200, body: { id: "pi_3ds", status: "requires_action" } }));
    const error = await charge().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    expect(error).toMatchObject({ declineCode: "authentication_required" });
  });

  it("maps a failed refund to a provider error", async () => {
    installFakeStripe(() => ({ status: 200, body: { id: "re_1", amount: 100, status: "failed" } }));
    await expect(stripe().refund({ paymentId: "pi_1", idempotencyKey: newId("ref") })).rejects.toBeInstanceOf(PaymentProviderError);
  });
});
