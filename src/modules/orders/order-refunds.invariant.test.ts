/**
 * A refund row is `succeeded` only with the provider's refund id. Enforced
 * where rows are written (order-refunds.repository.ts); here at the writers and through the
 * provider's refund webhook, which records a refund only when it names it.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../db/client";
import { orderRefunds, orders } from "../../db/schema";
import { newId } from "../../platform/ids";
import { parsePaymentEvent } from "../payments/payment-event";
import {
  markRefundSucceeded,
  pendingRefundStatement,
  settledRefundStatement,
  type NewOrderRefund,
} from "./order-refunds.repository";
import { insertPaidOrder } from "./orders.fixtures";
import { applyPaymentEvent } from "./apply-payment-event";

const db = () => createDatabase(env.DB);

function refundOf(
  order: { id: string; paymentId: string; total: number },
  providerKey = `${order.id}:refund:${newId("k")}`,
): NewOrderRefund {
  const at = Date.now();
  return {
    id: newId("rfd"),
    orderId: order.id,
    paymentId: order.paymentId,
    amount: order.total,
    currency: "EUR",
    reason: "test",
    lines: null,
    restock: false,
    providerKey,
    actor: "system:test",
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

const refundsOf = (orderId: string) => db().select().from(orderRefunds).where(eq(orderRefunds.orderId, orderId)).all();

describe("a succeeded refund row always carries the provider's refund id", () => {
  it("refuses to write a settled refund without one", async () => {
    const order = await insertPaidOrder({ userId: null });
    expect(() => settledRefundStatement(db(), refundOf(order))).toThrow(/provider's refund id/);
    expect(() => settledRefundStatement(db(), { ...refundOf(order), providerRefundId: " " })).toThrow(
      /provider's refund id/,
    );
    await settledRefundStatement(db(), { ...refundOf(order), providerRefundId: "re_1" }).run();
    expect(await refundsOf(order.id)).toMatchObject([{ status: "succeeded", providerRefundId: "re_1" }]);
  });

  it("refuses to mark a pending refund succeeded without one", async () => {
    const order = await insertPaidOrder({ userId: null });
    const refund = refundOf(order);
    await pendingRefundStatement(db(), refund).run();
    await expect(markRefundSucceeded(db(), refund.id, "", Date.now())).rejects.toThrow(/provider's refund id/);
    expect(await refundsOf(order.id)).toMatchObject([{ status: "pending", providerRefundId: null }]);
  });

  it("records a full refund the provider's webhook names, with its refund id", async () => {
    const order = await insertPaidOrder({ userId: null });
    const body = JSON.stringify({
      id: newId("evt"),
      type: "charge.refunded",
      data: {
        object: {
          id: "ch_1",
          payment_intent: order.paymentId,
          amount_refunded: order.total,
          currency: "eur",
          refunds: { data: [{ id: "re_webhook_1" }] },
        },
      },
    });
    await applyPaymentEvent(db(), parsePaymentEvent("test", body), env);
    expect((await db().select().from(orders).where(eq(orders.id, order.id)).get())?.status).toBe("refunded");
    expect(await refundsOf(order.id)).toMatchObject([
      { status: "succeeded", providerRefundId: "re_webhook_1", amount: order.total },
    ]);
  });

  it("moves the order on a full refund that does not name its refund, but invents no refund row", async () => {
    const order = await insertPaidOrder({ userId: null });
    const body = JSON.stringify({
      id: newId("evt"),
      type: "charge.refunded",
      data: { object: { id: "ch_1", payment_intent: order.paymentId, amount_refunded: order.total, currency: "eur" } },
    });
    await applyPaymentEvent(db(), parsePaymentEvent("test", body), env);
    expect((await db().select().from(orders).where(eq(orders.id, order.id)).get())?.status).toBe("refunded");
    expect(await refundsOf(order.id)).toEqual([]);
  });
});
