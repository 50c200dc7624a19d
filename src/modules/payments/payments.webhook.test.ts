import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { orders, orderTransitions, paymentWebhookEvents } from "../../db/schema";
import { newId } from "../../platform/ids";
import { insertPaidOrder } from "../orders/orders.fixtures";
import { SimulatedCrash } from "../../platform/faults";
import { applyExpiredWebhookLeasesJob, applyPaymentEvent } from "../orders/apply-payment-event";
import { receivePaymentWebhook, WEBHOOK_LEASE_MS } from "./payments.service";
import { TEST_SIGNATURE_HEADER } from "./test-provider";
import { signWebhookPayload } from "./webhook-signature";

const db = createDatabase(env.DB);
const testSecret = env.TEST_PAYMENT_WEBHOOK_SECRET ?? "";

const stripeEvent = (type: string, object: Record<string, unknown>, id = newId("evt")) =>
  JSON.stringify({ id, object: "event", type, data: { object } });

async function deliver(rawBody: string, options: { provider?: string; signature?: string | null } = {}) {
  const signature = options.signature === undefined ? await signWebhookPayload(testSecret, rawBody) : options.signature;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (signature !== null) headers[TEST_SIGNATURE_HEADER] = signature;
  return callJson(`/v1/webhooks/payments/${options.provider ?? "test"}`, { method: "POST", body: rawBody, headers });
}

const claimed = async (eventId: string) =>
  (await db.select().from(paymentWebhookEvents).where(eq(paymentWebhookEvents.eventId, eventId))).length;

describe("POST /v1/webhooks/payments/{provider}", () => {
  it("applies a signed event to its order once, and answers a redelivery 200 without doing it again", async () => {
    const order = await insertPaidOrder({ userId: null, status: "pending" });
    const eventId = newId("evt");
    const body = stripeEvent(
      "payment_intent.succeeded",
      { id: order.paymentId, amount: order.total, currency: "eur" },
      eventId,
    );
    const first = await deliver(body);
    expect(first).toMatchObject({ status: 200, body: { received: true, eventId, duplicate: false } });
    const [paid] = await db.select().from(orders).where(eq(orders.id, order.id));
    expect(paid?.status).toBe("paid");
    const again = await deliver(body);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    const moves = await db
      .select()
      .from(orderTransitions)
      .where(and(eq(orderTransitions.orderId, order.id), eq(orderTransitions.toStatus, "paid")));
    expect(moves).toHaveLength(1);
  });

  it.each([
    ["a missing signature", null],
    ["a forged signature", `t=${Math.floor(Date.now() / 1000)},v1=${"ab".repeat(32)}`],
    ["a malformed signature", "garbage"],
  ])("refuses %s with 400 and records nothing", async (_label, signature) => {
    const eventId = newId("evt");
    const { status, body } = await deliver(stripeEvent("payment_intent.succeeded", { id: "pay_x" }, eventId), {
      signature,
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 400, type: expect.stringContaining("validation") });
    expect(await claimed(eventId)).toBe(0);
  });

  it("refuses a replayed delivery signed more than 300 s ago", async () => {
    const body = stripeEvent("payment_intent.succeeded", { id: "pay_x" });
    const stale = await signWebhookPayload(testSecret, body, Math.floor(Date.now() / 1000) - 301);
    expect((await deliver(body, { signature: stale })).status).toBe(400);
  });

  it("refuses a signed body that is not JSON, or not an event, with 400", async () => {
    expect((await deliver("{not json")).status).toBe(400);
    expect((await deliver(JSON.stringify({ hello: "world" }))).status).toBe(400);
    expect((await deliver(JSON.stringify({ id: "x".repeat(300), type: "t", data: { object: {} } }))).status).toBe(400);
  });

  it("answers 404 to an unknown provider or one without a configured secret, 400 to a hostile name", async () => {
    const body = stripeEvent("payment_intent.succeeded", { id: "pay_x" });
    expect((await deliver(body, { provider: "paypal" })).status).toBe(404);
    expect((await deliver(body, { provider: "stripe" })).status).toBe(404);
    expect((await deliver(body, { provider: "a".repeat(100) })).status).toBe(400);
  });

  it("acknowledges events it has no use for", async () => {
    const { status, body } = await deliver(stripeEvent("customer.created", { id: "cus_1" }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ duplicate: false });
  });
});

describe("receivePaymentWebhook", () => {
  const stripeEnv = { ...env, STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_stripe" };
  const stripeHeaders = async (body: string, secret = "whsec_stripe") =>
    new Headers({ "Stripe-Signature": await signWebhookPayload(secret, body) });

  it("verifies Stripe's own header and hands the normalised event over", async () => {
    const apply = vi.fn(async () => undefined);
    const body = stripeEvent("charge.refunded", {
      id: "ch_1",
      payment_intent: "pi_1",
      amount: 900,
      amount_refunded: 900,
      currency: "eur",
    });
    await receivePaymentWebhook(stripeEnv, db, "stripe", body, await stripeHeaders(body), apply);
    expect(apply).toHaveBeenCalledWith(
      db,
      expect.objectContaining({
        provider: "stripe",
        kind: "payment.refunded",
        paymentId: "pi_1",
        amount: 900,
        currency: "EUR",
      }),
    );
    await expect(
      receivePaymentWebhook(stripeEnv, db, "stripe", body, await stripeHeaders(body, "whsec_wrong"), apply),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("an event whose attempt failed stays leased; a redelivery after the lease runs it again, one inside it is a duplicate", async () => {
    const body = stripeEvent("payment_intent.payment_failed", { id: "pi_2" });
    const failing = vi.fn(async () => {
      throw new Error("D1 hiccup");
    });
    const now = Date.now();
    await expect(
      receivePaymentWebhook(stripeEnv, db, "stripe", body, await stripeHeaders(body), failing, now),
    ).rejects.toThrow("D1 hiccup");
    const apply = vi.fn(async () => undefined);
    expect(
      await receivePaymentWebhook(stripeEnv, db, "stripe", body, await stripeHeaders(body), apply, now + 1_000),
    ).toMatchObject({ duplicate: true });
    expect(
      await receivePaymentWebhook(
        stripeEnv,
        db,
        "stripe",
        body,
        await stripeHeaders(body),
        apply,
        now + WEBHOOK_LEASE_MS + 1,
      ),
    ).toMatchObject({ duplicate: false });
    expect(apply).toHaveBeenCalledOnce();
  });
});

describe("I5: a provider event is applied exactly once, even when the isolate dies between leasing and applying it", () => {
  it("the cron applies the stored event once its lease expired, and a late redelivery does nothing more", async () => {
    const order = await insertPaidOrder({ userId: null, status: "pending" });
    const body = stripeEvent("payment_intent.succeeded", { id: order.paymentId, amount: order.total, currency: "eur" });
    const headers = new Headers({ [TEST_SIGNATURE_HEADER]: await signWebhookPayload(testSecret, body) });
    const crash = async () => {
      throw new SimulatedCrash("after_charge");
    };
    const now = Date.now();
    await expect(receivePaymentWebhook(env, db, "test", body, headers, crash, now)).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    expect((await db.select().from(orders).where(eq(orders.id, order.id)).get())?.status).toBe("pending");
    await applyExpiredWebhookLeasesJob.run(env, now + 1_000); // still leased: nothing yet
    expect((await db.select().from(orders).where(eq(orders.id, order.id)).get())?.status).toBe("pending");
    await applyExpiredWebhookLeasesJob.run(env, now + WEBHOOK_LEASE_MS + 1);
    await applyExpiredWebhookLeasesJob.run(env, now + WEBHOOK_LEASE_MS + 2);
    expect((await db.select().from(orders).where(eq(orders.id, order.id)).get())?.status).toBe("paid");
    expect(
      await receivePaymentWebhook(
        env,
        db,
        "test",
        body,
        headers,
        (database, event) => applyPaymentEvent(database, event, env),
        now + 3 * WEBHOOK_LEASE_MS,
      ),
    ).toMatchObject({ duplicate: true });
    const moves = await db
      .select()
      .from(orderTransitions)
      .where(and(eq(orderTransitions.orderId, order.id), eq(orderTransitions.toStatus, "paid")));
    expect(moves).toHaveLength(1);
  });
});
