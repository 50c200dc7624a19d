/**
 * A re-send refused after an unknown outcome (Stripe rate-limits with a 429 BEFORE it looks at the
 * Idempotency-Key) is not "nothing was charged": taken so, the checkout would be compensated without
 * a refund and the client's retry would charge a second time. Once a checkout has seen an unknown
 * outcome, a refusal is unknown too, and a compensation without a payment id asks the provider for
 * the checkout's charge first and refunds it.
 */
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePricingRules } from "../../../test/helpers/cart";
import { checkouts, testProviderCharges } from "../../db/schema";
import { configOf } from "../../env";
import type { PaymentProvider } from "../payments/payment-provider";
import { PaymentRejectedError } from "../payments/payments.errors";
import { paymentProviderFor } from "../payments/payments.service";
import { checkoutDb as db, sweepDue } from "./checkout.fixtures";
import { attempt, invariantViolations, moneyState, newPurchase } from "./checkout-money-safety.fixtures";

beforeAll(ensurePricingRules);

const later = (minutes: number) => Date.now() + minutes * 60_000;
const chargesOf = async (cartId: string) => {
  const ids = (await db().select({ id: checkouts.id }).from(checkouts).where(eq(checkouts.cartId, cartId)).all()).map(
    (row) => row.id,
  );
  return ids.length
    ? db().select().from(testProviderCharges).where(inArray(testProviderCharges.checkoutId, ids)).all()
    : [];
};

describe("defect 2 (issue 22): a refused re-send after an unknown outcome", () => {
  it("a 429 on the re-send is unknown: the client's retries charge once, and the give-up refunds that one charge", async () => {
    const purchase = await newPurchase("pm_card_rateLimitedResend");
    for (let index = 0; index < 3; index++) {
      const answer = await attempt(purchase);
      expect(answer.status).toBe(503);
      expect(JSON.stringify(answer.body)).toMatch(/payment-outcome-unknown/);
    }
    expect(await chargesOf(purchase.cartId)).toHaveLength(1);
    expect((await moneyState(purchase)).checkoutStates).toEqual(["charging"]);
    // past GIVE_UP_MS (no reconciliation here): the compensation finds the charge by checkout id and refunds it
    const provider = paymentProviderFor(env, configOf(env));
    await sweepDue({ db: db(), env, payments: provider }, later(20));
    await sweepDue({ db: db(), env, payments: provider }, later(40));
    const state = await moneyState(purchase);
    expect(state.checkoutStates).toEqual(["compensated"]);
    expect(state.charges).toHaveLength(1);
    expect(state.charges[0]?.refunded).toBe(state.charges[0]?.amount);
    expect(state.refunds).toBe(1);
    expect(invariantViolations(purchase, state)).toEqual([]);
  });

  it("any refused re-send after an unknown outcome keeps the checkout charging; its compensation refunds the charge it finds", async () => {
    const purchase = await newPurchase("pm_card_lostResponse");
    expect((await attempt(purchase)).status).toBe(503); // charged, the answer lost
    const real = paymentProviderFor(env, configOf(env));
    const refusing: PaymentProvider = {
      name: real.name,
      charge: () => Promise.reject(new PaymentRejectedError("The payment provider refused the request (400)")),
      refund: (input) => real.refund(input),
      capture: (input) => real.capture(input),
      voidAuthorization: (paymentId, key) => real.voidAuthorization(paymentId, key),
      verifyWebhook: (body, headers) => real.verifyWebhook(body, headers),
      listCharges: (query) => real.listCharges(query),
      findCharge: (checkoutId) => real.findCharge?.(checkoutId) ?? Promise.resolve(null),
    };
    await sweepDue({ db: db(), env, payments: refusing }, later(3));
    expect((await moneyState(purchase)).checkoutStates).toEqual(["charging"]);
    await sweepDue({ db: db(), env, payments: refusing }, later(20));
    await sweepDue({ db: db(), env, payments: refusing }, later(40));
    const state = await moneyState(purchase);
    expect(state.checkoutStates).toEqual(["compensated"]);
    expect(state.charges).toHaveLength(1);
    expect(state.charges[0]?.refunded).toBe(state.charges[0]?.amount);
    expect(invariantViolations(purchase, state)).toEqual([]);
  });
});

describe("defect 5 (issue 22): the provider forgets keys after 24 h", () => {
  it("a charge unknown after 24 h is looked up by checkout id, never re-sent under its old key, and the charge found is kept", async () => {
    const purchase = await newPurchase("pm_card_lostResponse");
    expect((await attempt(purchase)).status).toBe(503); // charged, the answer lost
    const real = paymentProviderFor(env, configOf(env));
    let sent = 0;
    let lookedUp = 0;
    const watching: PaymentProvider = {
      name: real.name,
      charge: (input) => (sent++, real.charge(input)),
      refund: (input) => real.refund(input),
      capture: (input) => real.capture(input),
      voidAuthorization: (paymentId, key) => real.voidAuthorization(paymentId, key),
      verifyWebhook: (body, headers) => real.verifyWebhook(body, headers),
      listCharges: (query) => real.listCharges(query),
      findCharge: (checkoutId) => (lookedUp++, real.findCharge?.(checkoutId) ?? Promise.resolve(null)),
    };
    await sweepDue({ db: db(), env, payments: watching }, later(25 * 60));
    expect(sent).toBe(0);
    expect(lookedUp).toBeGreaterThan(0);
    const state = await moneyState(purchase);
    expect(state.charges).toHaveLength(1);
    expect(state.orders).toMatchObject([{ paymentId: state.charges[0]?.id }]);
  });
});
