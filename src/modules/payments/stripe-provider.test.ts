import { describe, expect, it } from "vitest";
import { newId } from "../../platform/ids";
import { describePaymentProviderContract } from "./payment-provider-contract.fixtures";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "./payments.errors";
import { StripePaymentProvider } from "./stripe-provider";
import { installFakeStripe } from "./stripe.fixtures";
import { signWebhookPayload } from "./webhook-signature";
import { continueTrace, runInTrace } from "../../platform/observability/trace";

const stripe = (timeoutMs?: number) =>
  new StripePaymentProvider({ secretKey: "sk_test_motor", webhookSecret: "whsec_motor", timeoutMs });

describePaymentProviderContract("the Stripe adapter (fetch mocked)", () => {
  let offset = 0;
  const fake = installFakeStripe(undefined, { now: () => Date.now() + offset });
  // a short timeout: some cases charge an intent whose answer never comes
  return {
    provider: stripe(1_000),
    chargesCreated: async () => fake.chargesCreated(),
    failRefund: async (refundId: string) => fake.failRefund(refundId),
    advanceClock: (ms: number) => void (offset += ms),
    authenticate: async (paymentId: string, succeeds: boolean) => fake.authenticate(paymentId, succeeds),
  };
});

const TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const charge = (paymentMethod: string, idempotencyKey = newId("chk")) => ({
  amount: 100,
  currency: "EUR" as const,
  paymentMethod,
  idempotencyKey,
  description: "Motor order",
  metadata: { checkoutId: idempotencyKey, orderId: "ord_x" },
});
const retrying = () =>
  new StripePaymentProvider({
    secretKey: "sk_test_motor",
    webhookSecret: "whsec_motor",
    retry: { attempts: 3, baseMs: 1, capMs: 2 },
  });

describe("the Stripe adapter's resilience and tracing", () => {
  it("sends the current traceparent on every call", async () => {
    const fake = installFakeStripe();
    await runInTrace(continueTrace(TRACE), () => stripe().charge(charge("pm_card_visa")));
    expect(fake.seen[0]?.headers.get("traceparent")).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  });

  it("retries a 5xx with the same Idempotency-Key (the write is idempotent) and succeeds", async () => {
    let failures = 2;
    const fake = installFakeStripe(() =>
      failures-- > 0 ? { status: 500, body: { error: { type: "api_error" } } } : undefined,
    );
    const key = newId("chk");
    await expect(retrying().charge(charge("pm_card_visa", key))).resolves.toMatchObject({ status: "succeeded" });
    expect(fake.seen.map((request) => request.headers.get("Idempotency-Key"))).toEqual([key, key, key]);
  });

  it("does not retry a decline: the provider answered", async () => {
    const fake = installFakeStripe();
    await expect(retrying().charge(charge("pm_card_chargeDeclined"))).rejects.toBeInstanceOf(PaymentDeclinedError);
    expect(fake.seen).toHaveLength(1);
  });
});

describe("the Stripe adapter's requests", () => {
  it("creates and confirms a PaymentIntent: form body, bearer key, Idempotency-Key", async () => {
    const fake = installFakeStripe();
    const key = newId("chk");
    await stripe().charge({
      amount: 1_999,
      currency: "USD",
      paymentMethod: "pm_card_visa",
      idempotencyKey: key,
      description: "Order ord_1",
      metadata: { checkoutId: key, orderId: "ord_1" },
    });
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
      "metadata[motor_checkout_id]": key,
      "metadata[motor_order_id]": "ord_1",
    });
  });

  it("refunds through /v1/refunds with the payment intent, the amount and its own key", async () => {
    const fake = installFakeStripe();
    const chargeKey = newId("chk");
    const { paymentId } = await stripe().charge({
      amount: 1_999,
      currency: "EUR",
      paymentMethod: "pm_card_visa",
      idempotencyKey: chargeKey,
      description: "Order",
      metadata: { checkoutId: chargeKey, orderId: "ord_1" },
    });
    const key = newId("ref");
    expect(await stripe().refund({ paymentId, idempotencyKey: key, amount: 500 })).toMatchObject({
      paymentId,
      amount: 500,
    });
    const request = fake.seen.at(-1);
    expect(request?.url).toBe("https://api.stripe.com/v1/refunds");
    expect(request?.headers.get("Idempotency-Key")).toBe(key);
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ payment_intent: paymentId, amount: "500" });
  });
});

describe("the Stripe adapter's error mapping", () => {
  const request = (paymentMethod = "pm_card_visa", idempotencyKey = newId("chk")) => ({
    amount: 100,
    currency: "EUR" as const,
    paymentMethod,
    idempotencyKey,
    description: "Motor order",
    metadata: { checkoutId: idempotencyKey, orderId: "ord_x" },
  });
  const charge = (timeoutMs?: number) => stripe(timeoutMs).charge(request());

  it("maps a 5xx to an unknown outcome, never to 'not charged'", async () => {
    installFakeStripe(() => ({
      status: 500,
      body: { error: { type: "api_error", message: "internal secret detail" } },
    }));
    const error = await charge().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PaymentOutcomeUnknownError);
    expect(error).toMatchObject({ status: 503, reason: "unavailable", headers: { "Retry-After": expect.any(String) } });
    expect(String((error as Error).message)).not.toContain("secret");
  });

  it("maps a network failure and a timeout to unknown outcomes", async () => {
    installFakeStripe(() => {
      throw new TypeError("Network connection lost");
    });
    await expect(charge()).rejects.toMatchObject({ status: 503, reason: "unavailable" });
    installFakeStripe(() => new Promise(() => undefined));
    await expect(charge(30)).rejects.toMatchObject({ status: 503, reason: "timeout" });
  });

  it("maps a 409 'idempotency key in use' to an unknown outcome", async () => {
    installFakeStripe(() => ({
      status: 409,
      body: { error: { type: "idempotency_error", code: "idempotency_key_in_use" } },
    }));
    await expect(charge()).rejects.toBeInstanceOf(PaymentOutcomeUnknownError);
  });

  it("a charge the client gave up on (timeout) still happened at Stripe: re-sending the request learns it, charging once", async () => {
    const fake = installFakeStripe();
    const same = request("pm_card_slowSuccess");
    await expect(stripe(30).charge(same)).rejects.toBeInstanceOf(PaymentOutcomeUnknownError);
    expect(fake.chargesCreated()).toBe(1);
    const learned = await stripe(30).charge(same);
    expect(learned.paymentId).toBe([...fake.intents.keys()][0]);
    expect(fake.chargesCreated()).toBe(1);
  });

  it("an intent answered `processing` is read again; one still processing is an unknown outcome", async () => {
    installFakeStripe();
    expect((await stripe().charge(request("pm_card_processing"))).status).toBe("succeeded");
    installFakeStripe((seen) =>
      seen.method === "GET" || seen.url.endsWith("/payment_intents")
        ? { status: 200, body: { id: "pi_slow", status: "processing" } }
        : undefined,
    );
    await expect(stripe().charge(request())).rejects.toMatchObject({
      slug: "payment-outcome-unknown",
      reason: "in_progress",
    });
  });

  it("forgets keys after 24 h, like Stripe: why Motor stops re-sending a charge long before (GIVE_UP_MS)", async () => {
    let now = Date.now();
    const fake = installFakeStripe(undefined, { now: () => now });
    const same = request();
    await stripe().charge(same);
    now += 25 * 60 * 60 * 1000;
    await stripe().charge(same);
    expect(fake.chargesCreated()).toBe(2);
  });

  it("maps an authentication error and a rate limit to a rejected request (nothing charged), not declines", async () => {
    installFakeStripe(() => ({
      status: 401,
      body: { error: { type: "invalid_request_error", message: "Invalid API Key" } },
    }));
    await expect(charge()).rejects.toBeInstanceOf(PaymentRejectedError);
    installFakeStripe(() => ({ status: 429, body: { error: { type: "rate_limit_error" } } }));
    await expect(charge()).rejects.toMatchObject({ status: 503 });
  });

  it("maps a card error to a decline with Stripe's decline code, and an unknown payment method too", async () => {
    installFakeStripe(() => ({ status: 402, body: { error: { type: "card_error", code: "expired_card" } } }));
    await expect(charge()).rejects.toMatchObject({ status: 402, declineCode: "expired_card" });
    installFakeStripe();
    await expect(stripe().charge(request("pm_nope"))).rejects.toMatchObject({ declineCode: "invalid_payment_method" });
  });

  it("maps a key reused with other parameters to a rejected request", async () => {
    installFakeStripe(() => ({
      status: 400,
      body: {
        error: {
          type: "idempotency_error",
          message: "Keys for idempotent requests can only be used with the same parameters",
        },
      },
    }));
    await expect(charge()).rejects.toBeInstanceOf(PaymentRejectedError);
  });

  it("sends return_url (allowing redirects) only when the checkout names one; else 3-D Secure is Stripe.js's", async () => {
    const fake = installFakeStripe();
    const withReturn = await stripe().charge({
      ...request("pm_card_threeDSecureRequired"),
      returnUrl: "https://shop.example/return",
    });
    expect(withReturn).toMatchObject({
      status: "requires_action",
      nextAction: {
        type: "redirect",
        url: expect.stringMatching(/^https:\/\/hooks\.stripe\.com\//),
        clientSecret: expect.stringContaining("_secret_"),
      },
    });
    expect(fake.seen.at(-1)?.form.get("return_url")).toBe("https://shop.example/return");
    expect(fake.seen.at(-1)?.form.has("automatic_payment_methods[allow_redirects]")).toBe(false);
    const inPage = await stripe().charge(request("pm_card_threeDSecureRequired"));
    expect(inPage).toMatchObject({
      status: "requires_action",
      nextAction: { type: "use_stripe_sdk", clientSecret: expect.stringContaining("_secret_") },
    });
    expect(fake.seen.at(-1)?.form.get("automatic_payment_methods[allow_redirects]")).toBe("never");
  });

  it("maps a failed refund to an error (the refund stays pending for the caller)", async () => {
    installFakeStripe(() => ({ status: 200, body: { id: "re_1", amount: 100, status: "failed" } }));
    await expect(stripe().refund({ paymentId: "pi_1", idempotencyKey: newId("ref") })).rejects.toBeInstanceOf(
      PaymentRejectedError,
    );
  });
});

describe("the Stripe adapter's manual capture", () => {
  const request = (paymentMethod = "pm_card_visa", idempotencyKey = newId("chk")) => ({
    amount: 2_000,
    currency: "EUR" as const,
    paymentMethod,
    idempotencyKey,
    description: "Motor order",
    metadata: { checkoutId: idempotencyKey, orderId: "ord_x" },
  });
  /** Straight at the fake, as Stripe would be called by anyone: its own checks, not the adapter's. */
  const post = async (path: string, form: Record<string, string>, key = newId("key")) => {
    const response = await fetch(`https://api.stripe.com/v1${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": key },
      body: new URLSearchParams(form).toString(),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        status?: string;
        amount_received?: number;
        error?: { code?: string; param?: string };
      },
    };
  };

  it("sends capture_method=manual only for a manual charge, and answers an authorised intent as succeeded", async () => {
    const fake = installFakeStripe();
    await stripe().charge(request());
    expect(fake.seen.at(-1)?.form.has("capture_method")).toBe(false);
    await stripe().charge({ ...request(), captureMethod: "automatic" });
    expect(fake.seen.at(-1)?.form.has("capture_method")).toBe(false);
    const manual = await stripe().charge({ ...request(), captureMethod: "manual" });
    expect(fake.seen.at(-1)?.form.get("capture_method")).toBe("manual");
    expect(manual).toEqual({ paymentId: expect.any(String), status: "succeeded" });
    expect(fake.intents.get(manual.paymentId)).toMatchObject({
      status: "requires_capture",
      amount_capturable: 2_000,
      amount_received: 0,
    });
  });

  it("the fake refuses a capture_method other than automatic or manual, creating nothing", async () => {
    const fake = installFakeStripe();
    const answer = await post("/payment_intents", {
      amount: "2000",
      currency: "eur",
      payment_method: "pm_card_visa",
      confirm: "true",
      capture_method: "later",
    });
    expect(answer).toMatchObject({
      status: 400,
      body: { error: { code: "parameter_invalid", param: "capture_method" } },
    });
    expect(fake.chargesCreated()).toBe(0);
  });

  it("captures through /v1/payment_intents/{id}/capture with amount_to_capture and the capture's own key", async () => {
    const fake = installFakeStripe();
    const { paymentId } = await stripe().charge({ ...request(), captureMethod: "manual" });
    const key = newId("cap");
    expect(await stripe().capture({ paymentId, amount: 1_500, idempotencyKey: key })).toEqual({
      paymentId,
      amountCaptured: 1_500,
    });
    const sent = fake.seen.at(-1);
    expect(sent?.url).toBe(`https://api.stripe.com/v1/payment_intents/${paymentId}/capture`);
    expect(sent?.method).toBe("POST");
    expect(sent?.headers.get("Idempotency-Key")).toBe(key);
    expect(Object.fromEntries(sent?.form ?? [])).toEqual({ amount_to_capture: "1500" });
    expect(fake.intents.get(paymentId)).toMatchObject({
      status: "succeeded",
      amount_received: 1_500,
      amount_capturable: 0,
    });
  });

  it("the fake takes amount_to_capture only as a positive integer at most what was authorised, and captures once", async () => {
    installFakeStripe();
    const { paymentId } = await stripe().charge({ ...request(), captureMethod: "manual" });
    for (const amount of ["0", "-5", "10.5", "abc", "2001"]) {
      expect((await post(`/payment_intents/${paymentId}/capture`, { amount_to_capture: amount })).status).toBe(400);
    }
    expect(
      (await post(`/payment_intents/${paymentId}/capture`, { amount_to_capture: "2001" })).body.error,
    ).toMatchObject({ code: "amount_too_large", param: "amount_to_capture" });
    expect(await post(`/payment_intents/${paymentId}/capture`, { amount_to_capture: "800" })).toMatchObject({
      status: 200,
      body: { status: "succeeded", amount_received: 800 },
    });
    expect(await post(`/payment_intents/${paymentId}/capture`, { amount_to_capture: "800" })).toMatchObject({
      status: 400,
      body: { error: { code: "payment_intent_unexpected_state" } },
    });
    // an automatic intent has nothing to capture
    const automatic = await stripe().charge(request());
    expect((await post(`/payment_intents/${automatic.paymentId}/capture`, {})).body.error?.code).toBe(
      "payment_intent_unexpected_state",
    );
  });

  it("the fake refuses to refund an authorised intent, and bounds refunds by what was captured", async () => {
    installFakeStripe();
    const { paymentId } = await stripe().charge({ ...request(), captureMethod: "manual" });
    expect((await post("/refunds", { payment_intent: paymentId })).status).toBe(400);
    await stripe().capture({ paymentId, amount: 700, idempotencyKey: newId("cap") });
    expect((await post("/refunds", { payment_intent: paymentId, amount: "701" })).status).toBe(400);
    expect(await stripe().refund({ paymentId, idempotencyKey: newId("ref") })).toMatchObject({ amount: 700 });
  });

  it("learns a capture whose answer was lost: the key replays it; after the key, 'already captured' for that amount is it", async () => {
    let failing = true;
    const fake = installFakeStripe((seen) =>
      seen.url.endsWith("/capture") && failing
        ? ((failing = false), { status: 500, body: { error: { type: "api_error" } } })
        : undefined,
    );
    const { paymentId } = await stripe().charge({ ...request(), captureMethod: "manual" });
    // a 5xx: the outcome is unknown, never "not captured"
    await expect(stripe().capture({ paymentId, amount: 1_000, idempotencyKey: newId("cap") })).rejects.toBeInstanceOf(
      PaymentOutcomeUnknownError,
    );
    // the capture happened at Stripe and its answer never reached Motor: the same key replays it
    const key = newId("cap");
    expect((await post(`/payment_intents/${paymentId}/capture`, { amount_to_capture: "1000" }, key)).status).toBe(200);
    expect(await stripe().capture({ paymentId, amount: 1_000, idempotencyKey: key })).toEqual({
      paymentId,
      amountCaptured: 1_000,
    });
    // the key forgotten (a re-send days later): Stripe answers 400 unexpected state, and the intent shows this very capture
    expect(await stripe().capture({ paymentId, amount: 1_000, idempotencyKey: newId("cap") })).toEqual({
      paymentId,
      amountCaptured: 1_000,
    });
    expect(fake.seen.at(-1)?.method).toBe("GET");
    // another amount is not this capture: refused
    await expect(stripe().capture({ paymentId, amount: 1_200, idempotencyKey: newId("cap") })).rejects.toBeInstanceOf(
      PaymentRejectedError,
    );
    expect(fake.intents.get(paymentId)).toMatchObject({ amount_received: 1_000 });
  });

  it("refuses a capture without a key or with a non-integer amount before anything is sent", async () => {
    const fake = installFakeStripe();
    await expect(stripe().capture({ paymentId: "pi_x", amount: 100, idempotencyKey: "" })).rejects.toBeInstanceOf(
      PaymentRejectedError,
    );
    await expect(
      stripe().capture({ paymentId: "pi_x", amount: 10.5, idempotencyKey: newId("cap") }),
    ).rejects.toBeInstanceOf(PaymentRejectedError);
    expect(fake.seen).toHaveLength(0);
  });

  it("voids through /v1/payment_intents/{id}/cancel with cancellation_reason=requested_by_customer and the void's key", async () => {
    const fake = installFakeStripe();
    const { paymentId } = await stripe().charge({ ...request(), captureMethod: "manual" });
    const key = newId("void");
    await stripe().voidAuthorization(paymentId, key);
    const sent = fake.seen.at(-1);
    expect(sent?.url).toBe(`https://api.stripe.com/v1/payment_intents/${paymentId}/cancel`);
    expect(sent?.headers.get("Idempotency-Key")).toBe(key);
    expect(Object.fromEntries(sent?.form ?? [])).toEqual({ cancellation_reason: "requested_by_customer" });
    expect(fake.intents.get(paymentId)).toMatchObject({
      status: "canceled",
      amount_capturable: 0,
      cancellation_reason: "requested_by_customer",
    });
    // again under another key: Stripe's 400 (already cancelled) is read as done
    await expect(stripe().voidAuthorization(paymentId, newId("void"))).resolves.toBeUndefined();
  });

  it("the fake refuses an unknown cancellation reason, and a cancel of a captured intent", async () => {
    installFakeStripe();
    const { paymentId } = await stripe().charge({ ...request(), captureMethod: "manual" });
    expect(
      await post(`/payment_intents/${paymentId}/cancel`, { cancellation_reason: "changed_my_mind" }),
    ).toMatchObject({ status: 400, body: { error: { code: "parameter_invalid", param: "cancellation_reason" } } });
    await stripe().capture({ paymentId, amount: 2_000, idempotencyKey: newId("cap") });
    expect(
      await post(`/payment_intents/${paymentId}/cancel`, { cancellation_reason: "requested_by_customer" }),
    ).toMatchObject({ status: 400, body: { error: { code: "payment_intent_unexpected_state" } } });
    await expect(stripe().voidAuthorization(paymentId, newId("void"))).rejects.toBeInstanceOf(PaymentRejectedError);
  });

  it("keeps an authorised intent when the buyer's window passes: cancelCharge reads it and sends no cancel", async () => {
    const fake = installFakeStripe();
    const { paymentId } = await stripe().charge({
      ...request("pm_card_threeDSecureRequired"),
      returnUrl: "https://shop.example/return",
      captureMethod: "manual",
    });
    fake.authenticate(paymentId);
    expect(fake.intents.get(paymentId)?.status).toBe("requires_capture");
    expect(await stripe().cancelCharge(paymentId)).toEqual({ paymentId, status: "succeeded", uncaptured: true });
    expect(fake.seen.some((seen) => seen.url.endsWith("/cancel"))).toBe(false);
  });

  it("reads payment_intent.amount_capturable_updated (a manual intent authorised) as the payment succeeding", async () => {
    const fake = installFakeStripe();
    const key = newId("chk");
    const { paymentId } = await stripe().charge({ ...request("pm_card_visa", key), captureMethod: "manual" });
    const body = fake.event(paymentId, "payment_intent.amount_capturable_updated");
    const headers = new Headers({ "Stripe-Signature": await signWebhookPayload("whsec_motor", body) });
    expect(await stripe().verifyWebhook(body, headers)).toMatchObject({
      type: "payment_intent.amount_capturable_updated",
      kind: "payment.succeeded",
      paymentId,
      amount: 2_000,
      currency: "EUR",
      checkoutId: key,
    });
  });
});
