/**
 * A refund the provider answers `pending` is not money back yet. It is
 * `succeeded` only on the provider's event; a `refund.failed` makes it owed again under a NEW key
 * and opens a `refund_failed` mismatch; and after 24 h (the provider forgets keys) nothing is
 * re-sent under an old key before looking up what the provider already has.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../db/client";
import { orderRefunds, paymentMismatches, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { parsePaymentEvent } from "../payments/payment-event";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { TestPaymentProvider } from "../payments/test-provider";
import { retryPendingRefunds } from "./order-refunds.cron";
import { settleRefund } from "./settle-refund";
import { findRefund, markRefundSent, pendingRefundStatement, type NewOrderRefund } from "./order-refunds.repository";
import { insertPaidOrder } from "./orders.fixtures";
import { applyPaymentEvent } from "./apply-payment-event";

const db = () => createDatabase(env.DB);
const provider = () => paymentProviderFor(env, configOf(env));
const bank = () => new TestPaymentProvider(db(), undefined);
const HOUR = 60 * 60 * 1000;

async function pendingRefundOf(paymentMethod: string, createdAt = Date.now()) {
  const order = await insertPaidOrder({ userId: null, paymentMethod });
  const refund: NewOrderRefund = {
    id: newId("rfd"),
    orderId: order.id,
    paymentId: order.paymentId,
    amount: order.total,
    currency: "EUR",
    reason: "test",
    lines: null,
    restock: false,
    providerKey: `${order.id}:refund`,
    actor: "system:test",
    nextAttemptAt: createdAt,
    createdAt,
    updatedAt: createdAt,
  };
  await pendingRefundStatement(db(), refund).run();
  const row = await findRefund(db(), refund.id);
  if (!row) throw new Error("no refund row");
  return { order, row };
}

const refundEvent = (type: string, refund: { id: string; status: string; amount: number; paymentId: string }) =>
  parsePaymentEvent(
    "test",
    JSON.stringify({
      id: newId("evt"),
      type,
      data: {
        object: {
          id: refund.id,
          object: "refund",
          status: refund.status,
          amount: refund.amount,
          currency: "eur",
          payment_intent: refund.paymentId,
        },
      },
    }),
  );

/** The real provider, counting the refunds sent through it. */
function countingRefunds() {
  const real = provider();
  let sent = 0;
  const watching: PaymentProvider = {
    ...real,
    name: real.name,
    refund: (input) => (sent++, real.refund(input)),
    verifyWebhook: real.verifyWebhook,
    listCharges: real.listCharges,
    listRefunds: (paymentId) => bank().listRefunds(paymentId),
  };
  return { watching, sent: () => sent };
}

const providerRefunds = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();

describe("defect 5 (issue 22): a pending refund", () => {
  it("is not succeeded until the provider's charge.refund.updated says so, and is not re-sent meanwhile", async () => {
    const { order, row } = await pendingRefundOf("pm_card_refundPendingFails");
    expect(await settleRefund(db(), provider(), row, Date.now())).toBe(false);
    const sent = await findRefund(db(), row.id);
    expect(sent).toMatchObject({ status: "pending", providerRefundId: expect.stringMatching(/^re_/) });
    await retryPendingRefunds(db(), provider(), Date.now() + 30 * HOUR);
    expect(await providerRefunds(order.paymentId)).toHaveLength(1);
    expect((await findRefund(db(), row.id))?.status).toBe("pending");
    await applyPaymentEvent(
      db(),
      refundEvent("charge.refund.updated", {
        id: sent?.providerRefundId ?? "",
        status: "pending",
        amount: row.amount,
        paymentId: order.paymentId,
      }),
      env,
    );
    expect((await findRefund(db(), row.id))?.status).toBe("pending");
    await applyPaymentEvent(
      db(),
      refundEvent("charge.refund.updated", {
        id: sent?.providerRefundId ?? "",
        status: "succeeded",
        amount: row.amount,
        paymentId: order.paymentId,
      }),
      env,
    );
    expect(await findRefund(db(), row.id)).toMatchObject({
      status: "succeeded",
      providerRefundId: sent?.providerRefundId,
    });
  });

  it("that fails (refund.failed) is owed again under a new key, sent again, and opens a refund_failed mismatch, once", async () => {
    const { order, row } = await pendingRefundOf("pm_card_refundPendingFails");
    await settleRefund(db(), provider(), row, Date.now());
    const failedId = (await findRefund(db(), row.id))?.providerRefundId ?? "";
    expect(await bank().failRefund(failedId)).toBe(true);
    const failed = refundEvent("refund.failed", {
      id: failedId,
      status: "failed",
      amount: row.amount,
      paymentId: order.paymentId,
    });
    expect(failed.kind).toBe("refund.failed");
    await applyPaymentEvent(db(), failed, env);
    // Stripe sends both events for one failure: the second changes nothing
    await applyPaymentEvent(
      db(),
      refundEvent("charge.refund.updated", {
        id: failedId,
        status: "failed",
        amount: row.amount,
        paymentId: order.paymentId,
      }),
      env,
    );
    const owed = await findRefund(db(), row.id);
    expect(owed).toMatchObject({ status: "pending", providerRefundId: null });
    expect(owed?.providerKey).not.toBe(row.providerKey);
    const mismatches = await db()
      .select()
      .from(paymentMismatches)
      .where(and(eq(paymentMismatches.paymentId, order.paymentId), eq(paymentMismatches.kind, "refund_failed")))
      .all();
    expect(mismatches).toMatchObject([{ status: "open", orderId: order.id, amount: row.amount }]);
    await retryPendingRefunds(db(), provider(), Date.now() + 1_000);
    const atProvider = await providerRefunds(order.paymentId);
    expect(atProvider.map((refund) => [refund.idempotencyKey, refund.status]).sort()).toEqual(
      [
        [owed?.providerKey, "pending"],
        [row.providerKey, "failed"],
      ].sort(),
    );
  });

  it("whose answer was lost is looked up after 24 h, never re-sent under its old key", async () => {
    const createdAt = Date.now() - 25 * HOUR;
    const { order, row } = await pendingRefundOf("pm_card_visa", createdAt);
    // the first attempt refunded at the provider, its answer never came back
    const lost = await provider().refund({
      paymentId: order.paymentId,
      idempotencyKey: row.providerKey,
      amount: row.amount,
    });
    const { watching, sent } = countingRefunds();
    await settleRefund(db(), watching, row, Date.now());
    expect(sent()).toBe(0);
    expect(await findRefund(db(), row.id)).toMatchObject({ status: "succeeded", providerRefundId: lost.refundId });
    expect(await db().select().from(orderRefunds).where(eq(orderRefunds.orderId, order.id)).all()).toHaveLength(1);
  });
});

describe("a pending refund whose event is missed (issue 22)", () => {
  /** The provider answered `pending` with this id, but the row stores it only after the event was applied (it matched no row). */
  async function sentWithEventMissed(paymentMethod: string) {
    const { order, row } = await pendingRefundOf(paymentMethod);
    const answer = await provider().refund({
      paymentId: order.paymentId,
      idempotencyKey: row.providerKey,
      amount: row.amount,
    });
    return { order, row, providerRefundId: answer.refundId };
  }

  it("that succeeded before its id was stored is settled by the hourly lookup, not left pending", async () => {
    const { order, row, providerRefundId } = await sentWithEventMissed("pm_card_refundPendingFails");
    expect(await bank().succeedRefund(providerRefundId)).toBe(true);
    await applyPaymentEvent(
      db(),
      refundEvent("charge.refund.updated", {
        id: providerRefundId,
        status: "succeeded",
        amount: row.amount,
        paymentId: order.paymentId,
      }),
      env,
    );
    const now = Date.now();
    await markRefundSent(db(), row.id, providerRefundId, now + HOUR, now);
    await retryPendingRefunds(db(), provider(), now + HOUR - 1_000);
    expect((await findRefund(db(), row.id))?.status).toBe("pending");
    await retryPendingRefunds(db(), provider(), now + HOUR + 1_000);
    expect(await findRefund(db(), row.id)).toMatchObject({ status: "succeeded", providerRefundId });
    expect(await providerRefunds(order.paymentId)).toHaveLength(1);
  });

  it("that failed with its refund.failed lost is found failed by the lookup: owed again under a new key, and flagged", async () => {
    const { order, row, providerRefundId } = await sentWithEventMissed("pm_card_refundPendingFails");
    await markRefundSent(db(), row.id, providerRefundId, Date.now(), Date.now());
    expect(await bank().failRefund(providerRefundId)).toBe(true);
    await retryPendingRefunds(db(), provider(), Date.now() + 1_000);
    const owed = await findRefund(db(), row.id);
    expect(owed).toMatchObject({
      status: "pending",
      providerRefundId: null,
      providerKey: `${order.id}:refund:${row.id}:after:${providerRefundId}`,
    });
    const mismatches = await db()
      .select()
      .from(paymentMismatches)
      .where(and(eq(paymentMismatches.paymentId, order.paymentId), eq(paymentMismatches.kind, "refund_failed")))
      .all();
    expect(mismatches).toMatchObject([{ status: "open", orderId: order.id }]);
    await retryPendingRefunds(db(), provider(), Date.now() + 2_000);
    expect((await providerRefunds(order.paymentId)).map((refund) => refund.status).sort()).toEqual([
      "failed",
      "pending",
    ]);
  });

  it("after a failure is sent under its new key after a lookup: a lost answer under that key is adopted, not sent again", async () => {
    const { order, row, providerRefundId } = await sentWithEventMissed("pm_card_refundPendingFails");
    await markRefundSent(db(), row.id, providerRefundId, Date.now() + HOUR, Date.now());
    await bank().failRefund(providerRefundId);
    await applyPaymentEvent(
      db(),
      refundEvent("refund.failed", {
        id: providerRefundId,
        status: "failed",
        amount: row.amount,
        paymentId: order.paymentId,
      }),
      env,
    );
    const owed = await findRefund(db(), row.id);
    if (!owed) throw new Error("no row");
    // the retry under the new key reached the provider; its answer was lost
    const lost = await provider().refund({
      paymentId: order.paymentId,
      idempotencyKey: owed.providerKey,
      amount: owed.amount,
    });
    const { watching, sent } = countingRefunds();
    await settleRefund(db(), watching, owed, Date.now());
    expect(sent()).toBe(0);
    expect(await findRefund(db(), row.id)).toMatchObject({ status: "pending", providerRefundId: lost.refundId });
  });
});
