/**
 * The money-safety harness with manual capture: checkouts that authorise
 * (`Motor-Test-Capture: manual`) under the fault matrix's payment outcomes and crash points, then
 * finished as a shop would — shipped (the capture), one unit released and the rest shipped,
 * cancelled (the void), or left alone until the expiry policy cancels and voids — and I1–I3, I6–I8
 * asserted: every authorisation ends captured into its one order or voided, no capture takes more
 * than the order may. The chaos block (test/chaos/chaos.workerd.ts) mixes the same at random; here
 * every decision meets every crash point. The last tests show the two counters do count.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePricingRules } from "../../../test/helpers/cart";
import { orders, testProviderCharges } from "../../db/schema";
import { checkoutDb as db } from "./checkout.fixtures";
import {
  finishManualPurchases,
  invariantViolations,
  moneyState,
  SHOP_DECISIONS,
  type ShopDecision,
} from "./checkout-money-safety.fixtures";
import { CRASHES, runCombination, type BatchOutcome } from "./checkout-matrix.fixtures";

beforeAll(ensurePricingRules);

const TOKENS = [
  "pm_card_visa",
  "pm_card_lostResponse",
  "pm_card_rateLimitedResend",
  "pm_card_threeDSecureRequired~webhook-first",
  "pm_card_threeDSecureRequired~webhook-never",
];

/** Every token × crash point, the shop's decision turning with them; and the order batch failing or refused. */
const combinations: { token: string; crash: (typeof CRASHES)[number]; batch: BatchOutcome; decision: ShopDecision }[] =
  [
    ...TOKENS.flatMap((token, t) =>
      CRASHES.map((crash, c) => ({
        token,
        crash,
        batch: "ok" as const,
        decision: SHOP_DECISIONS[(t + c) % SHOP_DECISIONS.length] as ShopDecision,
      })),
    ),
    ...SHOP_DECISIONS.flatMap((decision) => [
      { token: "pm_card_visa", crash: "none" as const, batch: "outage" as const, decision },
      { token: "pm_card_visa", crash: "none" as const, batch: "stock_gone" as const, decision },
    ]),
  ];

async function manualPurchase(
  token: string,
  crash: (typeof CRASHES)[number],
  batch: BatchOutcome,
  decision: ShopDecision,
) {
  const { purchase, onHandWithoutOrder } = await runCombination(token, crash, batch, { capture: "manual" });
  const [outcome] = await finishManualPurchases([{ purchase, decision }]);
  return { purchase, onHandWithoutOrder, outcome, state: await moneyState(purchase) };
}

describe(`manual capture under faults: ${combinations.length} combinations finished by the shop and driven to quiescence`, () => {
  it.each(combinations)(
    "$token × crash $crash × batch $batch, then $decision: I1–I3 and I6–I8 hold",
    async ({ token, crash, batch, decision }) => {
      const { purchase, onHandWithoutOrder, outcome, state } = await manualPurchase(token, crash, batch, decision);
      expect(outcome?.problem, JSON.stringify(state)).toBeUndefined();
      expect(invariantViolations(purchase, state, onHandWithoutOrder), JSON.stringify(state)).toEqual([]);
      expect(state).toMatchObject({ authorisationsLeft: 0, overCaptured: 0 });
      // what the decision did to an order that was authorised
      if (outcome?.orderId) {
        const ended = { fulfill: "captured", release: "captured", cancel: "voided", expire: "expired" }[decision];
        expect(outcome.ended).toBe(ended);
        expect(state.authorisations).toMatchObject(
          ended === "captured" ? { captured: 1, voided: 0 } : { captured: 0, voided: 1 },
        );
      } else {
        // no order: an authorisation the checkout made was voided by its compensation, never captured
        expect(state.authorisations.captured).toBe(0);
        expect(state.authorisations.voided).toBe(state.authorisations.authorised);
      }
    },
  );
});

/**
 * A compensation that voided the authorisation and then died (`mid_compensation`) is retried by the
 * sweep, and the voided payment reads as `canceled`: it needs nothing more (payments/orphan-refund.ts).
 * Asking for a refund of it would be refused for ever, leaving the checkout `compensating` with its
 * stock held (I3).
 */
describe("a compensation retried after its void", () => {
  it("manual × crash mid_compensation × batch stock_gone: the checkout ends compensated, its stock released", async () => {
    const { purchase, onHandWithoutOrder, state } = await manualPurchase(
      "pm_card_visa",
      "mid_compensation",
      "stock_gone",
      "fulfill",
    );
    expect(invariantViolations(purchase, state, onHandWithoutOrder), JSON.stringify(state)).toEqual([]);
  });
});

describe("the money-state counters catch an authorisation left (I7) and an over-capture (I8)", () => {
  it("an authorisation the shop never decides and the clock never expires is left (I7)", async () => {
    const { purchase, onHandWithoutOrder } = await runCombination("pm_card_visa", "none", "ok", { capture: "manual" });
    const state = await moneyState(purchase);
    expect(state).toMatchObject({
      authorisationsLeft: 1,
      overCaptured: 0,
      authorisations: { authorised: 1, captured: 0, voided: 0 },
    });
    expect(
      invariantViolations(purchase, state, onHandWithoutOrder).filter((problem) => problem.startsWith("I7")),
    ).toHaveLength(1);
    await finishManualPurchases([{ purchase, decision: "cancel" }]);
    expect(await moneyState(purchase)).toMatchObject({ authorisationsLeft: 0, authorisations: { voided: 1 } });
  });

  it("a capture above the total less releases, or on an order whose books say voided, is over-captured (I8)", async () => {
    const { purchase, onHandWithoutOrder, state } = await manualPurchase("pm_card_visa", "none", "ok", "release");
    expect(state).toMatchObject({ overCaptured: 0, authorisations: { captured: 1 } });
    const [order] = state.orders;
    if (!order?.paymentId) throw new Error("no order");
    expect(order.released).toBeGreaterThan(0);
    // the provider took what the release should have kept back
    await db()
      .update(testProviderCharges)
      .set({ amountCaptured: order.total - order.released + 1 })
      .where(eq(testProviderCharges.id, order.paymentId))
      .run();
    const over = await moneyState(purchase);
    expect(over.overCaptured).toBe(1);
    expect(
      invariantViolations(purchase, over, onHandWithoutOrder).filter((problem) => problem.startsWith("I8")),
    ).toHaveLength(1);
    // the order believes it voided what the provider captured
    await db()
      .update(testProviderCharges)
      .set({ amountCaptured: order.total - order.released })
      .where(eq(testProviderCharges.id, order.paymentId))
      .run();
    await db().update(orders).set({ paymentStatus: "voided" }).where(eq(orders.id, order.id)).run();
    expect((await moneyState(purchase)).overCaptured).toBe(1);
  });
});
