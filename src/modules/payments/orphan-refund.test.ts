/**
 * The refund of a charge no order keeps, when the provider answers it `pending` and later fails it
 * (the checkout's compensation refunded, the bank failed that refund). The charge is
 * refunded again under a new key derived from the failed refund — by `refund.failed`, or by
 * reconciliation when that event is lost — once, and a person is told.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePricingRules } from "../../../test/helpers/cart";
import { checkouts, inventory, paymentMismatches, testProviderCharges, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { stockSnapshot } from "../inventory/inventory.service";
import { applyPaymentEvent } from "../orders/apply-payment-event";
import { checkoutDb as db } from "../checkout/checkout.fixtures";
import { attempt, newPurchase } from "../checkout/checkout-money-safety.fixtures";
import { parsePaymentEvent } from "./payment-event";
import { paymentProviderFor } from "./payments.service";
import { reconcilePayments } from "./reconcile";
import { TestPaymentProvider } from "./test-provider";

beforeAll(ensurePricingRules);

const bank = () => new TestPaymentProvider(db(), undefined);
const refundsOf = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();
const refundFailed = (refund: { id: string; amount: number; paymentId: string }, eventId = newId("evt")) =>
  parsePaymentEvent(
    "test",
    JSON.stringify({
      id: eventId,
      type: "refund.failed",
      data: {
        object: {
          id: refund.id,
          object: "refund",
          status: "failed",
          amount: refund.amount,
          currency: "eur",
          payment_intent: refund.paymentId,
        },
      },
    }),
  );

/** A checkout charged with pm_card_refundPendingFails whose order the stock guard refused: compensated, its refund pending. */
async function compensatedWithPendingRefund() {
  const purchase = await newPurchase("pm_card_refundPendingFails", { onHand: 5, quantity: 2 });
  await stockSnapshot(env, purchase.sku);
  await db().update(inventory).set({ onHand: 1 }).where(eq(inventory.sku, purchase.sku)).run();
  expect((await attempt(purchase)).status).toBe(409);
  const checkout = await db().select().from(checkouts).where(eq(checkouts.cartId, purchase.cartId)).get();
  const charge = await db()
    .select()
    .from(testProviderCharges)
    .where(eq(testProviderCharges.checkoutId, checkout?.id ?? ""))
    .get();
  if (!checkout || !charge) throw new Error("no compensated charge");
  expect(checkout.state).toBe("compensated");
  const [refund] = await refundsOf(charge.id);
  expect(refund).toMatchObject({ status: "pending", idempotencyKey: `${checkout.id}:refund`, amount: charge.amount });
  if (!refund) throw new Error("no refund");
  expect(await bank().failRefund(refund.id)).toBe(true);
  return { purchase, checkout, charge, refund };
}

describe("the refund of an ended checkout's charge fails at the provider", () => {
  it("refund.failed refunds the charge again under a key named after the failed refund, once, and flags it", async () => {
    const { checkout, charge, refund } = await compensatedWithPendingRefund();
    const flagged = () =>
      db()
        .select()
        .from(paymentMismatches)
        .where(and(eq(paymentMismatches.paymentId, charge.id), eq(paymentMismatches.kind, "refund_failed")))
        .all();
    const event = refundFailed(refund);
    await applyPaymentEvent(db(), event, env);
    expect(await flagged()).toMatchObject([
      {
        status: "open",
        checkoutId: checkout.id,
        orderId: null,
        amount: charge.amount,
        action: "refunded again under a new key",
      },
    ]);
    await applyPaymentEvent(db(), event, env); // applied twice (a lease that expired mid-apply)
    await applyPaymentEvent(db(), refundFailed(refund), env); // Stripe's charge.refund.updated about the same failure
    const held = await refundsOf(charge.id);
    expect(held.map((row) => [row.idempotencyKey, row.status]).sort()).toEqual(
      [
        [`${checkout.id}:refund`, "failed"],
        [`${checkout.id}:refund:after:${refund.id}`, "pending"],
      ].sort(),
    );
    expect(await flagged()).toMatchObject([
      { status: "open", action: "already covered by a refund the provider holds" },
    ]);
    // reconciliation sees the charge covered by the pending refund: nothing more is sent
    await reconcilePayments(db(), paymentProviderFor(env, configOf(env)), Date.now(), charge.createdAt);
    expect(await refundsOf(charge.id)).toHaveLength(2);
  });

  it("with refund.failed lost, reconciliation refunds it under the same new key; the late event then sends nothing more", async () => {
    const { purchase, checkout, charge, refund } = await compensatedWithPendingRefund();
    const report = await reconcilePayments(
      db(),
      paymentProviderFor(env, configOf(env)),
      Date.now(),
      purchase.startedAt,
    );
    expect(report.orphansRefunded).toBe(1);
    await applyPaymentEvent(db(), refundFailed(refund), env);
    const held = await refundsOf(charge.id);
    expect(held.map((row) => [row.idempotencyKey, row.status]).sort()).toEqual(
      [
        [`${checkout.id}:refund`, "failed"],
        [`${checkout.id}:refund:after:${refund.id}`, "pending"],
      ].sort(),
    );
  });
});
