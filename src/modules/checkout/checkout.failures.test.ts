import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { settleMirror } from "../../../test/helpers/inventory";
import { d1FailingOn } from "../../../test/helpers/d1";
import { createDatabase } from "../../db/client";
import { checkouts, inventory, orders, testProviderCharges, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import { DependencyError, ConflictError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { finishIdempotentRequest, type IdempotencyTicket } from "../idempotency/idempotency.service";
import { stockLockFor } from "../inventory/inventory.service";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { cartTtlMs } from "../cart/cart.access";
import { checkoutDb as db, postCheckout, readyCartOverHttp } from "./checkout.fixtures";
import { runCheckout, type CheckoutDeps } from "./checkout.service";

beforeAll(ensurePricingRules);

/** The stock as the lock holds it, and as D1 mirrors it once the lock's alarm ran (within a second of a release or commit). */
async function stockOf(sku: string) {
  await settleMirror(sku);
  const row = await db().select().from(inventory).where(eq(inventory.sku, sku)).get();
  return {
    onHand: row?.onHand,
    mirrorReserved: row?.reserved,
    lockReserved: (await stockLockFor(env, sku).snapshot(sku)).reserved,
  };
}
const checkoutsOfCart = (cartId: string) => db().select().from(checkouts).where(eq(checkouts.cartId, cartId)).all();
const ordersOfCheckout = (checkoutId: string) =>
  db().select().from(orders).where(eq(orders.checkoutId, checkoutId)).all();
const chargesOf = (checkoutId: string) =>
  db().select().from(testProviderCharges).where(eq(testProviderCharges.idempotencyKey, checkoutId)).all();
const refundsOf = (paymentId: string) =>
  db().select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all();

async function expectNothingLeft(cartId: string, sku: string, onHand: number) {
  const [checkout] = await checkoutsOfCart(cartId);
  expect(checkout?.state).toBe("compensated");
  expect(await ordersOfCheckout(checkout?.id ?? "")).toEqual([]);
  expect(await stockOf(sku)).toEqual({ onHand, mirrorReserved: 0, lockReserved: 0 });
  return checkout;
}

describe("payment failures", () => {
  it.each([
    ["pm_card_chargeDeclined", 402, "card_declined"],
    ["pm_card_insufficientFunds", 402, "insufficient_funds"],
  ])("%s → %i, no order, the reservation released at once", async (paymentMethod, status, declineCode) => {
    const sku = await createSellableSku({ onHand: 3 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 2 }]);
    const key = newId("idem");
    const answer = await postCheckout(cartId, { paymentMethod, key });
    expect(answer.status).toBe(status);
    expect(answer.response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(answer.body).toMatchObject({ declineCode });
    await expectNothingLeft(cartId, sku, 3);
    const replay = await postCheckout(cartId, { paymentMethod, key });
    expect(replay.status).toBe(402);
    expect(replay.response.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it.each([["pm_card_timeout"], ["pm_card_providerError"]])(
    "%s → 503 outcome unknown: the stock stays held, one checkout, and a retry with the key asks the provider again",
    async (paymentMethod) => {
      const sku = await createSellableSku({ onHand: 3 });
      const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
      const key = newId("idem");
      const answer = await postCheckout(cartId, { paymentMethod, key });
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ type: expect.stringContaining("payment-outcome-unknown") });
      expect(await stockOf(sku)).toEqual({ onHand: 3, mirrorReserved: 1, lockReserved: 1 });
      const retry = await postCheckout(cartId, { paymentMethod, key });
      expect(retry.status).toBe(503);
      expect(retry.response.headers.get("Idempotent-Replayed")).toBeNull();
      expect(await checkoutsOfCart(cartId)).toMatchObject([{ state: "charging" }]);
    },
  );
});

/** The real test provider, plus something that happens right after the charge succeeded. */
function providerThen(afterCharge: (checkoutId: string) => Promise<void>): PaymentProvider {
  const real = paymentProviderFor(env, configOf(env));
  return {
    ...real,
    name: real.name,
    charge: async (input) => {
      const result = await real.charge(input);
      await afterCharge(input.idempotencyKey);
      return result;
    },
    refund: (input) => real.refund(input),
    verifyWebhook: (raw, headers) => real.verifyWebhook(raw, headers),
    listCharges: (since) => real.listCharges(since),
  };
}

/** A fresh Idempotency-Key as the middleware hands it to the checkout, which claims it in its first batch. */
const ticket = (request = { scope: "anon", key: newId("idem"), requestHash: newId("hash") }): IdempotencyTicket => ({
  request: { ...request, now: Date.now() },
});

describe("the order batch fails after a successful charge", () => {
  it("a D1 outage: the payment is kept, 503 'retry with the same key', and the retry writes the order with that one charge", async () => {
    const sku = await createSellableSku({ onHand: 4 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 2 }]);
    const request = {
      cartId,
      paymentMethod: "pm_card_visa",
      caller: undefined,
      cartTtlMs: cartTtlMs(env),
      clientKey: "ip:test",
      captureMethod: "automatic" as const,
    };
    // the order batch fails (an outage at the worst moment); everything else works
    const orderBatchDown = createDatabase(d1FailingOn((sql) => /^insert into "orders"/.test(sql)));
    const deps: CheckoutDeps = { db: orderBatchDown, env, payments: paymentProviderFor(env, configOf(env)) };
    const first = ticket();
    const attempt = runCheckout(deps, { ...request, ticket: first });
    await expect(attempt).rejects.toThrow(DependencyError);
    await expect(attempt).rejects.toThrow(/payment is safe/);
    const [checkout] = await checkoutsOfCart(cartId);
    expect(checkout).toMatchObject({ state: "charged", paymentId: expect.stringMatching(/^pay_/) });
    expect((await stockOf(sku)).lockReserved).toBe(2);
    // as the middleware does after a 503: the claim is dropped, so the retry with the key runs again
    if (!first.claim) throw new Error("the first attempt did not claim its key");
    await finishIdempotentRequest(db(), first.claim, { status: 503, headers: {}, body: "" });
    const retried = await runCheckout({ ...deps, db: db() }, { ...request, ticket: ticket(first.request) });
    expect(retried).toMatchObject({ kind: "order", order: { paymentId: checkout?.paymentId } });
    expect(await chargesOf(checkout?.id ?? "")).toHaveLength(1);
    expect(await refundsOf(checkout?.paymentId ?? "")).toEqual([]);
  });

  it("stock changed under the checkout (the on_hand guard fires): refunded, released, no order, 409 naming the SKU", async () => {
    const sku = await createSellableSku({ onHand: 2 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 2 }]);
    // an admin lowers on-hand in D1 while the payment is in flight (a real write, a real constraint)
    const payments = providerThen(
      async () => void (await db().update(inventory).set({ onHand: 1 }).where(eq(inventory.sku, sku)).run()),
    );
    const attempt = runCheckout(
      { db: db(), env, payments },
      {
        cartId,
        paymentMethod: "pm_card_visa",
        caller: undefined,
        ticket: ticket(),
        cartTtlMs: cartTtlMs(env),
        clientKey: "ip:test",
        captureMethod: "automatic" as const,
      },
    );
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toMatchObject({ extensions: { skus: [sku] } });
    const checkout = await expectNothingLeft(cartId, sku, 1);
    const [charge] = await chargesOf(checkout?.id ?? "");
    expect(await refundsOf(charge?.id ?? "")).toHaveLength(1);
  });
});
