/**
 * The defects of the money-safety review (docs/checkout.md), one test each, plus recovery by the
 * StockLock alarm. Each test failed against the saga before the lifecycle table.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDiscountCode, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import {
  carts,
  checkouts,
  idempotencyKeys,
  inventory,
  shippingOptions,
  shippingRates,
  shippingZoneCountries,
  shippingZones,
  taxRules,
  testProviderCharges,
} from "../../db/schema";
import { configOf } from "../../env";
import { sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";
import { cartTtlMs } from "../cart/cart.access";
import { loadPricedCart } from "../cart/cart-pricing";
import { reserveStock, stockLockFor } from "../inventory/inventory.service";
import type { ChargeInput, PaymentProvider } from "../payments/payment-provider";
import { PaymentOutcomeUnknownError } from "../payments/payments.errors";
import { paymentProviderFor } from "../payments/payments.service";
import { checkoutDb as db, postCheckout, readyCartOverHttp, readyCartRows, sweepDue } from "./checkout.fixtures";
import { attempt, invariantViolations, moneyState, newPurchase, quiesce } from "./checkout-money-safety.fixtures";
import { findCartCheckout } from "./checkout.repository";
import { startCheckout } from "./checkout.start";
import { snapshotOf } from "./checkout.steps";

beforeAll(ensurePricingRules);

const provider = () => paymentProviderFor(env, configOf(env));
const lockOf = (sku: string) => stockLockFor(env, sku).snapshot(sku);
const mirrorOf = async (sku: string) =>
  (await db().select().from(inventory).where(eq(inventory.sku, sku)).get())?.reserved;
const later = (minutes: number) => Date.now() + minutes * 60_000;

/** The real provider, recording every charge request it was sent. */
function recording(): { provider: PaymentProvider; charges: ChargeInput[] } {
  const real = provider();
  const charges: ChargeInput[] = [];
  return {
    charges,
    provider: {
      ...real,
      name: real.name,
      charge: (input) => (charges.push(input), real.charge(input)),
      refund: (input) => real.refund(input),
      verifyWebhook: real.verifyWebhook.bind(real),
      listCharges: (since) => real.listCharges(since),
    },
  };
}

describe("a checkout that never finishes", () => {
  it("has its reservation expired by the StockLock alarm", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 2 }]);
    const now = Date.now();
    const priced = await loadPricedCart(db(), cartId, undefined, { now, ttlMs: cartTtlMs(env) });
    const checkout = await startCheckout(
      db(),
      {
        cartId,
        paymentMethod: "pm_card_visa",
        caller: undefined,
        requestKey: newId("rk"),
        now,
        clientKey: "ip:test",
        captureMethod: "automatic",
      },
      priced,
    );
    expect(await reserveStock(env, checkout.id, snapshotOf(checkout).lines, 200)).toEqual({ ok: true });
    // read the D1 mirror, not the lock: asking the lock would expire the reservation itself
    expect(await mirrorOf(sku)).toBe(2);
    const deadline = Date.now() + 5_000;
    while ((await mirrorOf(sku)) !== 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await mirrorOf(sku)).toBe(0);
    await runDurableObjectAlarm(stockLockFor(env, sku)); // a second firing changes nothing
    expect(await lockOf(sku)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });
});

describe("defect 1: a compensation stores the payment id before its refund can fail", () => {
  it("a refund that fails after the order was refused stays owed, and the sweep refunds it", async () => {
    const purchase = await newPurchase("pm_card_refundFails", { onHand: 5, quantity: 2 });
    await lockOf(purchase.sku); // the lock loads on-hand 5; D1 then loses units behind its back
    await db().update(inventory).set({ onHand: 1 }).where(eq(inventory.sku, purchase.sku)).run();
    const answer = await attempt(purchase);
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toMatch(/refund of your payment is pending/);
    const row = await findCartCheckout(db(), purchase.cartId);
    expect(row).toMatchObject({ state: "compensating", paymentId: expect.stringMatching(/^pay_/) });
    await sweepDue({ db: db(), env, payments: provider() }, later(3)); // the refund fails a second time
    await sweepDue({ db: db(), env, payments: provider() }, later(60));
    const [charge] = await db()
      .select()
      .from(testProviderCharges)
      .where(eq(testProviderCharges.id, row?.paymentId ?? ""))
      .all();
    expect(charge).toMatchObject({ amountRefunded: charge?.amount, status: "refunded" });
    expect(
      (
        await db()
          .select()
          .from(checkouts)
          .where(eq(checkouts.id, row?.id ?? ""))
          .get()
      )?.state,
    ).toBe("compensated");
  });
});

describe("defect 2: one charge request, whoever sends it; the sweep backs off per row", () => {
  it("the sweep re-sends the request's exact charge under the same key and finishes the order with that one charge", async () => {
    const purchase = await newPurchase("pm_card_visa");
    const { provider: recorder, charges } = recording();
    expect((await attempt(purchase, "after_charge")).status).toBe(500); // charged, then the Worker died
    await sweepDue({ db: db(), env, payments: recorder }, later(3));
    const row = await findCartCheckout(db(), purchase.cartId);
    expect(row?.state).toBe("completed");
    const [stored] = await db()
      .select()
      .from(testProviderCharges)
      .where(eq(testProviderCharges.checkoutId, row?.id ?? ""))
      .all();
    expect(charges).toEqual([
      {
        amount: row?.amount,
        currency: "EUR",
        paymentMethod: "pm_card_visa",
        idempotencyKey: row?.id,
        description: `Motor order ${row?.orderId}`,
        metadata: { checkoutId: row?.id, orderId: row?.orderId },
      },
    ]);
    expect(stored?.description).toBe(charges[0]?.description);
    expect(invariantViolations(purchase, await moneyState(purchase))).toEqual([]);
  });

  it("rows that keep failing back off and never starve the rows behind them", async () => {
    const now = Date.now();
    const failing = Array.from({ length: 60 }, () => newId("chk"));
    const snapshot = { orderId: newId("ord"), lines: [] };
    await db().batch(
      failing.map((id) =>
        db()
          .insert(checkouts)
          .values({
            id,
            requestKey: newId("rk"),
            cartId: newId("cart"),
            state: "compensating",
            paymentMethod: "pm_card_visa",
            amount: 100,
            currency: "EUR",
            snapshot,
            paymentId: "pay_unknown",
            orderId: snapshot.orderId,
            createdAt: now - 600_000,
            updatedAt: now - 600_000,
            nextAttemptAt: now - 600_000,
          }),
      ) as never,
    );
    const sku = await createSellableSku({ onHand: 3 });
    const [cartId = ""] = await readyCartRows(1, sku);
    // its commit is left to the sweep
    expect((await postCheckout(cartId, { headers: { "Motor-Test-Fault": "after_commit" } })).status).toBe(201);
    const refundsAlwaysFail: PaymentProvider = {
      ...provider(),
      name: "test",
      refund: () => Promise.reject(new PaymentOutcomeUnknownError("unavailable")),
    };
    await sweepDue({ db: db(), env, payments: refundsAlwaysFail }, later(3));
    await sweepDue({ db: db(), env, payments: refundsAlwaysFail }, later(3));
    expect((await findCartCheckout(db(), cartId))?.stockCommittedAt).not.toBeNull();
    const backedOff = await db().select().from(checkouts).where(eq(checkouts.paymentId, "pay_unknown")).all();
    expect(
      backedOff.every((row) => row.state === "compensating" && row.attempts >= 1 && row.nextAttemptAt > later(3)),
    ).toBe(true);
  });
});

describe("defect 3: an unknown payment outcome is never treated as 'not charged'", () => {
  it("pm_card_timeout: 503 payment-outcome-unknown with Retry-After, the stock stays held, a retry asks again", async () => {
    const purchase = await newPurchase("pm_card_timeout");
    const first = await attempt(purchase);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ type: expect.stringContaining("payment-outcome-unknown") });
    expect(first.response.headers.get("Retry-After")).toBe("5");
    expect((await findCartCheckout(db(), purchase.cartId))?.state).toBe("charging");
    expect((await lockOf(purchase.sku)).reserved).toBe(2);
    expect((await attempt(purchase)).status).toBe(503);
    expect(await db().select().from(checkouts).where(eq(checkouts.cartId, purchase.cartId)).all()).toHaveLength(1);
  });

  it("pm_card_lostResponse: the retry with the same key learns the charge and completes with exactly one charge", async () => {
    const purchase = await newPurchase("pm_card_lostResponse");
    expect((await attempt(purchase)).status).toBe(503);
    const retry = await attempt(purchase);
    expect(retry.status).toBe(201);
    const state = await moneyState(purchase);
    expect(state.charges).toHaveLength(1);
    expect(state.orders).toMatchObject([{ paymentId: state.charges[0]?.id }]);
  });

  it("gives up after GIVE_UP_MS: releases the stock, and a charge that shows up later is refunded by reconciliation", async () => {
    const purchase = await newPurchase("pm_card_timeout");
    expect((await attempt(purchase)).status).toBe(503);
    await quiesce(purchase);
    const state = await moneyState(purchase);
    expect(state.checkoutStates).toEqual(["compensated"]);
    expect(invariantViolations(purchase, state)).toEqual([]);
  });
});

describe("defect 4: one cart, one checkout at a time, one order ever", () => {
  it("two keys at once on one cart: one order, one charge, the other answer is a 409", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const [cartId = ""] = await readyCartRows(1, sku, 1);
    const answers = await Promise.all([postCheckout(cartId), postCheckout(cartId), postCheckout(cartId)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    const rows = await db().select().from(checkouts).where(eq(checkouts.cartId, cartId)).all();
    expect(rows.filter((row) => row.state !== "compensated")).toHaveLength(1);
    expect(
      await db()
        .select()
        .from(testProviderCharges)
        .where(eq(testProviderCharges.checkoutId, rows[0]?.id ?? ""))
        .all(),
    ).toHaveLength(1);
  });

  it("a cart whose checkout is in progress answers 409 with Retry-After to another key, and that 409 is not replayed", async () => {
    const purchase = await newPurchase("pm_card_timeout");
    expect((await attempt(purchase)).status).toBe(503); // stays in charging
    const otherKey = newId("idem");
    const busy = await postCheckout(purchase.cartId, { key: otherKey, paymentMethod: "pm_card_visa" });
    expect(busy.status).toBe(409);
    expect(busy.body.detail).toMatch(/already in progress/);
    expect(busy.response.headers.get("Retry-After")).toBe("5");
    const again = await postCheckout(purchase.cartId, { key: otherKey, paymentMethod: "pm_card_visa" });
    expect(again.response.headers.get("Idempotent-Replayed")).toBeNull();
  });
});

describe("defect 8: a zero total and a total under the provider's minimum are decided before any stock is held", () => {
  /** A cart shipping to Luxembourg, where these tests' shop ships for free. */
  async function freeShippingCart(sku: string, percentBasisPoints: number): Promise<string> {
    await db().batch([
      db()
        .insert(shippingZones)
        .values({ id: "shz_test_lu", name: "Luxembourg", createdAt: 0, updatedAt: 0 })
        .onConflictDoNothing(),
      db().insert(shippingZoneCountries).values({ country: "LU", zoneId: "shz_test_lu" }).onConflictDoNothing(),
      db()
        .insert(shippingOptions)
        .values({
          id: "shpo_test_lu",
          zoneId: "shz_test_lu",
          name: "Free",
          estimatedDays: 3,
          createdAt: 0,
          updatedAt: 0,
        })
        .onConflictDoNothing(),
      db()
        .insert(shippingRates)
        .values({
          id: "shp_test_lu_free",
          optionId: "shpo_test_lu",
          currency: "EUR",
          minWeightGrams: 0,
          maxWeightGrams: null,
          amount: 0,
          freeAboveAmount: null,
        })
        .onConflictDoNothing(),
      db()
        .insert(taxRules)
        .values({
          id: "tax_test_lu",
          country: "LU",
          region: "",
          name: "TVA",
          rateBasisPoints: 1700,
          inclusive: true,
          appliesToShipping: true,
        })
        .onConflictDoNothing(),
    ]);
    const [cartId = ""] = await readyCartRows(1, sku);
    const discountCode = await createDiscountCode({ percentBasisPoints });
    await db()
      .update(carts)
      .set({
        discountCode,
        country: "LU",
        shippingAddress: { country: "LU", postalCode: "1111", city: "Luxembourg", line1: "Rue 1" },
      })
      .where(eq(carts.id, cartId))
      .run();
    return cartId;
  }

  it("a 100 % code makes a free order: 201, no charge at the provider", async () => {
    const sku = await createSellableSku({ onHand: 3, eur: 6_000 });
    const cartId = await freeShippingCart(sku, 10_000);
    const answer = await postCheckout(cartId);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ total: { amount: 0 }, paymentId: null, status: "paid" });
    const row = await findCartCheckout(db(), cartId);
    expect(
      await db()
        .select()
        .from(testProviderCharges)
        .where(eq(testProviderCharges.checkoutId, row?.id ?? ""))
        .all(),
    ).toEqual([]);
  });

  it("a positive total under 50 cents is a 422 naming the blocker, and nothing is reserved", async () => {
    const sku = await createSellableSku({ onHand: 3, eur: 6_000 });
    const cartId = await freeShippingCart(sku, 9_995);
    const answer = await postCheckout(cartId);
    expect(answer.status).toBe(422);
    expect(answer.body.blockers).toContain("below_minimum_charge");
    expect((await lockOf(sku)).reserved).toBe(0);
  });
});

describe("defect 9: an Idempotency-Key is tied to its cart", () => {
  it("a key reused after 24 h on another cart starts a new checkout instead of replaying the old order", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const [first = "", second = ""] = await readyCartRows(2, sku);
    const key = newId("idem");
    const old = await postCheckout(first, { key });
    expect(old.status).toBe(201);
    // 24 h later the idempotency record has expired (the purge has not run yet)
    await db()
      .update(idempotencyKeys)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(idempotencyKeys.key, key))
      .run();
    const reused = await postCheckout(second, { key });
    expect(reused.status).toBe(201);
    expect(reused.body.id).not.toBe(old.body.id);
    const requestKey = await sha256Hex(`anon\n${key}`);
    expect(await db().select().from(checkouts).where(eq(checkouts.requestKey, requestKey)).all()).toHaveLength(2);
  });
});
