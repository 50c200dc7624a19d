import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call } from "../../../test/helpers/http";
import { createDatabase } from "../../db/client";
import { inventory, orders, orderTransitions, testProviderRefunds } from "../../db/schema";
import { newId } from "../../platform/ids";
import type { PaymentEvent } from "../payments/payment-event";
import { TEST_SIGNATURE_HEADER } from "../payments/test-provider";
import { signWebhookPayload } from "../payments/webhook-signature";
import { insertPaidOrder } from "./orders.fixtures";
import { applyPaymentEvent } from "./apply-payment-event";

const db = () => createDatabase(env.DB);
const statusOf = async (id: string) => (await db().select().from(orders).where(eq(orders.id, id)).get())?.status;
const event = (kind: PaymentEvent["kind"], paymentId: string, amount: number | null = null): PaymentEvent => ({
  id: newId("evt"),
  provider: "test",
  type: kind,
  kind,
  paymentId,
  amount,
  currency: "EUR",
});

describe("payment events applied to orders", () => {
  it("records a full refund made at the provider: paid → refunded, stock back, no second refund", async () => {
    const order = await insertPaidOrder({ userId: null, quantity: 2, onHand: 5 });
    await applyPaymentEvent(db(), event("payment.refunded", order.paymentId, order.total), env);
    expect(await statusOf(order.id)).toBe("refunded");
    expect((await db().select().from(inventory).where(eq(inventory.sku, order.sku)).get())?.onHand).toBe(7);
    expect(
      await db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, order.paymentId)).all(),
    ).toEqual([]);
    const moves = await db().select().from(orderTransitions).where(eq(orderTransitions.orderId, order.id)).all();
    expect(moves.at(-1)).toMatchObject({ fromStatus: "paid", toStatus: "refunded", actor: "system:payments:test" });
  });

  it("ignores a partial refund, a redelivered or out-of-order event and an unknown payment", async () => {
    const order = await insertPaidOrder({ userId: null, status: "shipped" });
    await applyPaymentEvent(db(), event("payment.refunded", order.paymentId, order.total - 1), env);
    await applyPaymentEvent(db(), event("payment.succeeded", order.paymentId), env);
    await applyPaymentEvent(db(), event("payment.failed", order.paymentId), env);
    await applyPaymentEvent(db(), event("payment.refunded", "pay_unknown", 100), env);
    await applyPaymentEvent(db(), event("other", order.paymentId), env);
    expect(await statusOf(order.id)).toBe("shipped");
  });

  it("moves a pending order to paid on payment.succeeded, once", async () => {
    const order = await insertPaidOrder({ userId: null, status: "pending" });
    await applyPaymentEvent(db(), event("payment.succeeded", order.paymentId), env);
    await applyPaymentEvent(db(), event("payment.succeeded", order.paymentId), env);
    expect(await statusOf(order.id)).toBe("paid");
    const moves = await db().select().from(orderTransitions).where(eq(orderTransitions.orderId, order.id)).all();
    expect(moves.filter((move) => move.toStatus === "paid")).toHaveLength(1);
  });

  it("is what the signed payment webhook does", async () => {
    const order = await insertPaidOrder({ userId: null });
    const body = JSON.stringify({
      id: newId("evt"),
      type: "charge.refunded",
      data: { object: { id: "ch_1", payment_intent: order.paymentId, amount_refunded: order.total, currency: "eur" } },
    });
    const signature = await signWebhookPayload(env.TEST_PAYMENT_WEBHOOK_SECRET ?? "", body);
    const answer = await call("/v1/webhooks/payments/test", {
      method: "POST",
      body,
      headers: { [TEST_SIGNATURE_HEADER]: signature },
    });
    expect(answer.status).toBeLessThan(300);
    expect(await statusOf(order.id)).toBe("refunded");
  });
});
