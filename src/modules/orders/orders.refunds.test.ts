/**
 * Money going back (I4, docs/checkout.md): a cancel decides its refund in the same guarded batch as
 * the status change, and only then asks the provider; a refund that fails stays pending and is
 * retried until it succeeds, once.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../db/client";
import { orderRefunds, orders, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { retryPendingRefunds } from "./order-refunds.cron";
import { insertPaidOrder } from "./orders.fixtures";
import { transitionOrder } from "./orders.service";

const db = () => createDatabase(env.DB);
const real = () => paymentProviderFor(env, configOf(env));
const providerRefundsOf = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();
const refundRowsOf = (orderId: string) =>
  db().select().from(orderRefunds).where(eq(orderRefunds.orderId, orderId)).all();
const statusOf = async (orderId: string) =>
  (await db().select().from(orders).where(eq(orders.id, orderId)).get())?.status;

describe("a cancel racing a fulfillment (I4)", () => {
  it("the fulfillment that wins is never refunded by the cancel that lost", async () => {
    const order = await insertPaidOrder({ userId: null });
    // the provider is slow: while the cancel waits for it, staff fulfill the order
    const racing: PaymentProvider = {
      ...real(),
      name: "test",
      refund: async (input) => {
        await transitionOrder({ db: db(), env }, { orderId: order.id, to: "fulfilled", actor: "usr_staff" }).catch(
          () => undefined,
        );
        return real().refund(input);
      },
    };
    const cancelled = await transitionOrder(
      { db: db(), env, payments: racing },
      { orderId: order.id, to: "cancelled", actor: "usr_owner" },
    ).catch((error: unknown) => error);
    const status = await statusOf(order.id);
    const refunds = await providerRefundsOf(order.paymentId);
    if (status === "fulfilled") expect(refunds).toEqual([]);
    else
      expect({ status, refunds: refunds.length, cancelled: (cancelled as { status?: string }).status }).toEqual({
        status: "cancelled",
        refunds: 1,
        cancelled: "cancelled",
      });
  });

  it("concurrent cancels refund exactly once", async () => {
    const order = await insertPaidOrder({ userId: null });
    await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        transitionOrder(
          { db: db(), env, payments: real() },
          { orderId: order.id, to: "cancelled", actor: "usr_owner" },
        ),
      ),
    );
    expect(await providerRefundsOf(order.paymentId)).toMatchObject([{ amount: order.total }]);
    expect(await refundRowsOf(order.id)).toMatchObject([{ status: "succeeded", amount: order.total }]);
  });
});

describe("a refund the provider fails", () => {
  it("leaves the order cancelled with its refund pending, and the retry job refunds it once", async () => {
    const order = await insertPaidOrder({ userId: null });
    const down: PaymentProvider = { ...real(), name: "test", refund: () => Promise.reject(new Error("provider down")) };
    const view = await transitionOrder(
      { db: db(), env, payments: down },
      { orderId: order.id, to: "cancelled", actor: "usr_owner" },
    );
    expect(view.status).toBe("cancelled");
    expect(await refundRowsOf(order.id)).toMatchObject([
      {
        status: "pending",
        attempts: 1,
        lastError: expect.stringContaining("provider down"),
        providerKey: `${order.id}:refund`,
      },
    ]);
    expect(await providerRefundsOf(order.paymentId)).toEqual([]);
    const later = Date.now() + 10 * 60_000;
    await retryPendingRefunds(db(), real(), later);
    await retryPendingRefunds(db(), real(), later);
    expect(await refundRowsOf(order.id)).toMatchObject([
      { status: "succeeded", providerRefundId: expect.stringMatching(/^re_/) },
    ]);
    expect(await providerRefundsOf(order.paymentId)).toMatchObject([{ amount: order.total }]);
  });

  it("a pending refund that is not yet due is left alone (backoff)", async () => {
    const order = await insertPaidOrder({ userId: null });
    const down: PaymentProvider = { ...real(), name: "test", refund: () => Promise.reject(new Error("provider down")) };
    await transitionOrder(
      { db: db(), env, payments: down },
      { orderId: order.id, to: "cancelled", actor: "usr_owner" },
    );
    await retryPendingRefunds(db(), real(), Date.now());
    expect(await refundRowsOf(order.id)).toMatchObject([{ status: "pending" }]);
  });
});
