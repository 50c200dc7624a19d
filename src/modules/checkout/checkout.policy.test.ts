/**
 * The checkout's clocks agree. The stock a checkout holds outlasts every deadline of that
 * checkout plus the sweep's reach, so a buyer who authenticates (or a payment whose outcome is
 * learned) at the last moment never finds their units sold to someone else; and the sweep never
 * backs off past a waiting checkout's deadline.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { configOf } from "../../env";
import { stockLockFor } from "../inventory/inventory.service";
import { paymentProviderFor } from "../payments/payments.service";
import { checkoutDb as db, postCheckout, readyCartOverHttp, sweepDue } from "./checkout.fixtures";
import { IDEMPOTENCY_TTL_MS } from "../idempotency/idempotency.service";
import { MAX_RESERVATION_TTL_MS } from "../inventory/inventory.service";
import { IDEMPOTENCY_KEY_TTL_MS } from "../payments/payment-provider";
import { backoffMs } from "./checkout.driver";
import {
  BUYER_ACTION_WINDOW_MS,
  CHECKOUT_RETENTION_MS,
  deadlineOf,
  GIVE_UP_MS,
  MAX_BACKOFF_MS,
  STOCK_HOLD_MS,
  STUCK_AFTER_MS,
  SWEEP_PERIOD_MS,
} from "./checkout.policy";
import { findCheckout } from "./checkout.repository";

beforeAll(ensurePricingRules);

/** When the lock lets this checkout's hold go (its reservation's `expires_at`). */
async function holdExpiresAt(sku: string, checkoutId: string): Promise<number> {
  return runInDurableObject(stockLockFor(env, sku), (_instance, state) => {
    const row = state.storage.sql
      .exec<{ expires_at: number }>("SELECT expires_at FROM reservations WHERE id = ?", checkoutId)
      .toArray()[0];
    if (!row) throw new Error("no reservation");
    return row.expires_at;
  });
}

describe("the checkout's clocks, as numbers", () => {
  it("the hold covers every deadline and the sweep's reach, and the stock lock accepts it", () => {
    expect(STOCK_HOLD_MS).toBeGreaterThanOrEqual(GIVE_UP_MS + SWEEP_PERIOD_MS);
    expect(STOCK_HOLD_MS).toBeGreaterThanOrEqual(BUYER_ACTION_WINDOW_MS + SWEEP_PERIOD_MS);
    expect(STOCK_HOLD_MS).toBeLessThanOrEqual(MAX_RESERVATION_TTL_MS);
  });

  it("an unknown outcome is retried before it is given up, and given up while the provider still remembers the key", () => {
    // the first retry comes well inside the give-up window, and the backoff grows from it to its cap
    expect(backoffMs(0)).toBe(STUCK_AFTER_MS);
    expect(STUCK_AFTER_MS * 2).toBeLessThan(GIVE_UP_MS);
    expect(backoffMs(20)).toBe(MAX_BACKOFF_MS);
    // the last retry is at the deadline itself (the driver caps the backoff there): give-up comes after it
    expect(deadlineOf("charging", 0)).toBe(GIVE_UP_MS);
    expect(GIVE_UP_MS).toBeLessThan(IDEMPOTENCY_KEY_TTL_MS);
  });

  it("a finished checkout outlives its Idempotency-Key, so a replay always finds how it ended", () => {
    expect(CHECKOUT_RETENTION_MS).toBeGreaterThan(IDEMPOTENCY_TTL_MS);
  });
});

describe("the checkout's clocks, applied to a checkout that waits for the buyer", () => {
  it("holds the stock of a checkout that waits for the buyer past the window and one sweep period after it", async () => {
    const sku = await createSellableSku({ onHand: 2 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const started = await postCheckout(cartId, { body: { cartId, paymentMethod: "pm_card_threeDSecureRequired" } });
    expect(started.status).toBe(202);
    const checkout = await findCheckout(db(), (started.body as unknown as { checkoutId: string }).checkoutId);
    if (!checkout) throw new Error("no checkout");
    const expiresAt = await holdExpiresAt(sku, checkout.id);
    expect(expiresAt).toBeGreaterThanOrEqual(checkout.createdAt + BUYER_ACTION_WINDOW_MS + SWEEP_PERIOD_MS);
    expect(expiresAt).toBeGreaterThanOrEqual(checkout.createdAt + GIVE_UP_MS + SWEEP_PERIOD_MS);
    expect(expiresAt - checkout.createdAt).toBeLessThanOrEqual(STOCK_HOLD_MS + 60_000);
  });

  it("never lets the sweep back off past a waiting checkout's deadline", async () => {
    const sku = await createSellableSku({ onHand: 2 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const started = await postCheckout(cartId, { body: { cartId, paymentMethod: "pm_card_threeDSecureRequired" } });
    const id = (started.body as unknown as { checkoutId: string }).checkoutId;
    const payments = paymentProviderFor(env, configOf(env));
    const created = (await findCheckout(db(), id))?.createdAt ?? 0;
    // fruitless sweeps double the backoff (2, 4, 8, 16 min…): without the cap the 4th would land past the window
    for (let minute = 3; minute < 15;) {
      await sweepDue({ db: db(), env, payments }, created + minute * 60_000);
      const next = (await findCheckout(db(), id))?.nextAttemptAt ?? 0;
      expect(next).toBeLessThanOrEqual(deadlineOf("requires_action", created) ?? 0);
      minute = Math.max(minute + 1, Math.ceil((next - created) / 60_000));
    }
    await sweepDue({ db: db(), env, payments }, created + BUYER_ACTION_WINDOW_MS);
    expect((await findCheckout(db(), id))?.state).toBe("compensated");
  });
});
