/**
 * A late `payment_intent.payment_failed` for a payment that succeeded must
 * not cancel the paid order, restock it or record a refund that never happened. It is a
 * contradiction between the provider's events, flagged for a person as an open mismatch.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { auditLog, inventory, orderRefunds, orders, paymentMismatches, testProviderCharges } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { parsePaymentEvent } from "../payments/payment-event";
import { paymentProviderFor } from "../payments/payments.service";
import { reconcilePayments } from "../payments/reconcile";
import { TEST_SIGNATURE_HEADER } from "../payments/test-provider";
import { signWebhookPayload } from "../payments/webhook-signature";
import { insertPaidOrder } from "./orders.fixtures";
import { applyPaymentEvent } from "./apply-payment-event";

const db = () => createDatabase(env.DB);
const eventBody = (type: string, paymentId: string, id = newId("evt")) =>
  JSON.stringify({ id, object: "event", type, data: { object: { id: paymentId, amount: 3000, currency: "eur" } } });

/** What the test provider's webhook endpoint receives, signed as test/helpers and docs/payments.md sign it. */
async function deliver(body: string) {
  const signature = await signWebhookPayload(env.TEST_PAYMENT_WEBHOOK_SECRET ?? "", body);
  return callJson<{ duplicate: boolean }>("/v1/webhooks/payments/test", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", [TEST_SIGNATURE_HEADER]: signature },
  });
}

async function stateOf(order: { id: string; sku: string; paymentId: string }) {
  return {
    status: (await db().select().from(orders).where(eq(orders.id, order.id)).get())?.status,
    onHand: (await db().select().from(inventory).where(eq(inventory.sku, order.sku)).get())?.onHand,
    refunds: await db().select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id)).all(),
    mismatches: await db()
      .select()
      .from(paymentMismatches)
      .where(eq(paymentMismatches.paymentId, order.paymentId))
      .all(),
    audits: await db().select().from(auditLog).where(eq(auditLog.subject, order.paymentId)).all(),
  };
}

describe("payment_intent.payment_failed after the payment succeeded", () => {
  it("leaves the paid order, its stock and its refunds alone and opens one mismatch; a replay changes nothing more", async () => {
    const order = await insertPaidOrder({ userId: null, status: "pending", onHand: 5 });
    expect((await deliver(eventBody("payment_intent.succeeded", order.paymentId))).status).toBe(200);
    expect((await stateOf(order)).status).toBe("paid");

    const failure = eventBody("payment_intent.payment_failed", order.paymentId);
    expect(await deliver(failure)).toMatchObject({ status: 200, body: { duplicate: false } });
    const after = await stateOf(order);
    expect(after).toMatchObject({ status: "paid", onHand: 5, refunds: [] });
    expect(after.mismatches).toMatchObject([
      { kind: "failed_after_success", status: "open", orderId: order.id, provider: "test", action: null },
    ]);
    expect(after.audits).toMatchObject([
      { action: "payments.mismatch.failed_after_success", actorId: "system:payments:test" },
    ]);

    // the provider's redelivery, then the lease cron re-applying the stored event (I5)
    expect(await deliver(failure)).toMatchObject({ status: 200, body: { duplicate: true } });
    await applyPaymentEvent(db(), parsePaymentEvent("test", failure), env);
    const replayed = await stateOf(order);
    expect(replayed).toMatchObject({ status: "paid", onHand: 5, refunds: [] });
    expect(replayed.mismatches).toHaveLength(1);
    expect(replayed.mismatches[0]?.status).toBe("open");
    expect(replayed.audits).toHaveLength(1);
  });

  it("stays open through reconciliation, which sees nothing wrong with the charge itself", async () => {
    const order = await insertPaidOrder({ userId: null, status: "paid" });
    await db()
      .update(testProviderCharges)
      .set({ checkoutId: `fixture:${order.id}` })
      .where(eq(testProviderCharges.id, order.paymentId))
      .run();
    await deliver(eventBody("payment_intent.payment_failed", order.paymentId));
    await reconcilePayments(db(), paymentProviderFor(env, configOf(env)), Date.now(), Date.now() - 60_000);
    expect((await stateOf(order)).mismatches).toMatchObject([{ kind: "failed_after_success", status: "open" }]);
  });

  it("is flagged the same way for an order that already shipped, and never touches it", async () => {
    const order = await insertPaidOrder({ userId: null, status: "shipped", onHand: 5 });
    await deliver(eventBody("payment_intent.payment_failed", order.paymentId));
    expect(await stateOf(order)).toMatchObject({
      status: "shipped",
      onHand: 5,
      refunds: [],
      mismatches: [{ kind: "failed_after_success", status: "open" }],
    });
  });
});

describe("payment_intent.payment_failed before anything succeeded (today's behaviour, kept)", () => {
  it("ignores a payment whose checkout never produced an order: no order, no mismatch", async () => {
    const paymentId = newId("pay");
    expect(await deliver(eventBody("payment_intent.payment_failed", paymentId))).toMatchObject({
      status: 200,
      body: { duplicate: false },
    });
    expect(await db().select().from(orders).where(eq(orders.paymentId, paymentId)).all()).toEqual([]);
    expect(await db().select().from(paymentMismatches).where(eq(paymentMismatches.paymentId, paymentId)).all()).toEqual(
      [],
    );
  });

  it("cancels a pending order (nothing was captured: no refund row)", async () => {
    const order = await insertPaidOrder({ userId: null, status: "pending", onHand: 5 });
    await deliver(eventBody("payment_intent.payment_failed", order.paymentId));
    expect(await stateOf(order)).toMatchObject({ status: "cancelled", refunds: [], mismatches: [] });
  });
});
