/**
 * The fault-injection matrix (docs/checkout.md): every payment outcome × every crash point × every
 * order-batch outcome, each driven to quiescence, then I1–I3 and I6–I8 asserted against the test provider's
 * ledger, the orders and the stock. A crash is the Worker dying at that point (nothing after it
 * runs, no compensation); the client then retries with the same key, as documented. One test file
 * per order-batch outcome, so that the three run in parallel.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ensurePricingRules } from "../../../test/helpers/cart";
import { inventory } from "../../db/schema";
import { configOf } from "../../env";
import { CRASH_POINTS } from "../../platform/faults";
import { breakersOf } from "../../platform/resilience/breakers";
import { stockSnapshot } from "../inventory/inventory.service";
import { checkoutDb as db } from "./checkout.fixtures";
import {
  clientRetries,
  invariantViolations,
  moneyState,
  newPurchase,
  quiesce,
  type Purchase,
} from "./checkout-money-safety.fixtures";
import { ACTION_ORDERINGS } from "./checkout-bank.fixtures";

export const TOKENS = [
  "pm_card_visa",
  "pm_card_chargeDeclined",
  "pm_card_insufficientFunds",
  "pm_card_timeout",
  "pm_card_lostResponse",
  "pm_card_providerError",
  "pm_card_refundFails",
  // a re-send after a lost answer is rate-limited (429); refunds go pending and the first fails later
  "pm_card_rateLimitedResend",
  "pm_card_refundPendingFails",
  // the payment waits for the buyer (3-D Secure), finished in every order (checkout-bank.fixtures.ts)
  ...ACTION_ORDERINGS.map((ordering) => `pm_card_threeDSecureRequired~${ordering}`),
  "pm_card_threeDSecureFail~browser-first",
];
export const CRASHES = ["none", ...CRASH_POINTS] as const;
/** ok; a D1 outage at the order batch (once); the stock sold elsewhere behind the lock's back (the batch's guard refuses). */
export type BatchOutcome = "ok" | "outage" | "stock_gone";

/** Runs one combination to quiescence; answers what is left of the purchase and the on-hand it should have without an order. */
export async function runCombination(
  token: string,
  crash: (typeof CRASHES)[number],
  batch: BatchOutcome,
  options: { capture?: "manual" } = {},
): Promise<{ purchase: Purchase; onHandWithoutOrder: number }> {
  // each combination starts as in a fresh isolate: an earlier one's provider errors must not have opened the breaker
  breakersOf(configOf(env)).get("payment:test", { servesClients: true }).reset();
  // a manual purchase's order stays authorised here: the shop finishes it (checkout-money-safety.fixtures.ts, finishManualPurchases)
  const purchase = await newPurchase(token, { onHand: 5, quantity: 2, ...options });
  let onHandWithoutOrder = purchase.onHand;
  if (batch === "stock_gone") {
    // D1 (the truth) loses the units after the lock loaded them: the reservation succeeds, the order batch's guard fails
    await stockSnapshot(env, purchase.sku);
    await db().update(inventory).set({ onHand: 1 }).where(eq(inventory.sku, purchase.sku)).run();
    onHandWithoutOrder = 1;
  }
  const fault = crash !== "none" ? crash : batch === "outage" ? "fail:order_batch" : undefined;
  if (fault) purchase.fault = fault;
  await clientRetries(purchase, fault);
  if (crash !== "none" && batch === "outage") await clientRetries(purchase, "fail:order_batch");
  await quiesce(purchase);
  return { purchase, onHandWithoutOrder };
}

export function describeMatrix(batch: BatchOutcome) {
  const combinations = TOKENS.flatMap((token) => CRASHES.map((crash) => ({ token, crash })));
  beforeAll(ensurePricingRules);
  describe(`the money-safety matrix, order batch ${batch}: ${combinations.length} combinations driven to quiescence`, () => {
    it.each(combinations)("$token × crash $crash: I1–I3 and I6–I8 hold", async ({ token, crash }) => {
      const { purchase, onHandWithoutOrder } = await runCombination(token, crash, batch);
      const state = await moneyState(purchase);
      expect(invariantViolations(purchase, state, onHandWithoutOrder), JSON.stringify(state)).toEqual([]);
    });
  });
}
