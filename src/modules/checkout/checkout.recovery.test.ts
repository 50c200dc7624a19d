import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/factories/cart";
import { checkouts, idempotencyKeys, inventory, orders, paymentRefunds, payments, type CheckoutState } from "../../db/schema";
import { configOf } from "../../env";
import { sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";
import { cartTtlMs } from "../cart/cart.access";
import { requestFingerprint } from "../idempotency/idempotency.service";
import { reserveStock, stockLockFor } from "../inventory/inventory.service";
import { paymentProviderFor } from "../payments/payments.service";
import { checkoutDb as db, postCheckout, readyCartOverHttp } from "./checkout.fixtures";
import { findCheckout, moveCheckout } from "./checkout.repository";
import { snapshotOf } from "./checkout.saga";
import { startCheckout } from "./checkout.start";
import { STUCK_AFTER_MS, sweepStuck, sweepStuckCheckouts } from "./checkout.sweep";

beforeAll(ensurePricingRules);

const provider = () => paymentProviderFor(env, configOf(env));
const deps = () => ({ db: db(), env, payments: provider() });
const lockOf = (sku: string) => stockLockFor(env, sku).snapshot(sku);
const mirrorOf = async (sku: string) => (await db().select().from(inventory).where(eq(inventory.sku, sku)).get())?.reserved;

/** A checkout whose request died after reaching `state` (each step done for real, then nothing). */
async function crashedCheckout(state: CheckoutState, options: { key?: string; ttlMs?: number; quantity?: number } = {}) {
  const sku = await createSellableSku({ onHand: 5 });
  const cartId = await readyCartOverHttp([{ sku, quantity: options.quantity ?? 2 }]);
  const requestKey = await sha256Hex(`anon\n${options.key ?? newId("idem")}`);
  const checkout = await startCheckout(db(), { cartId, paymentMethod: "pm_card_visa", caller: undefined, requestKey, now: Date.now(), cartTtlMs: cartTtlMs(env) });
  const items = snapshotOf(checkout).lines;
  expect(await reserveStock(env, checkout.id, items, options.ttlMs)).toEqual({ ok: true });
  let paymentId: string | undefined;
  if (state !== "reserving") {
    await moveCheckout(db(), checkout.id, "reserving", "charging");
    paymentId = (await provider().charge({ amount: checkout.amount, currency: "EUR", paymentMethod: "pm_card_visa", idempotencyKey: checkout.id })).paymentId;
  }
  if (state === "charged") await moveCheckout(db(), checkout.id, "charging", "charged", { paymentId });
  return { checkout, sku, cartId, paymentId };
}

const age = (checkoutId: string) => db().update(checkouts).set({ updatedAt: Date.now() - STUCK_AFTER_MS - 1 }).where(eq(checkouts.id, checkoutId)).run();

describe("a checkout that never finishes", () => {
  it("has its reservation expired by the StockLock alarm", async () => {
    const { sku } = await crashedCheckout("reserving", { ttlMs: 200 });
    // read the D1 mirror, not the lock: asking the lock would expire the reservation itself
    expect(await mirrorOf(sku)).toBe(2);
    // nobody calls the lock: its own alarm fires at the expiry and writes the mirror back to 0
    const deadline = Date.now() + 5_000;
    while ((await mirrorOf(sku)) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await mirrorOf(sku)).toBe(0);
    await runDurableObjectAlarm(stockLockFor(env, sku)); // a second firing changes nothing
    expect(await lockOf(sku)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it("is compensated by the sweep once stuck after the charge: refunded, released, no order", async () => {
    const { checkout, sku, paymentId } = await crashedCheckout("charged");
    await age(checkout.id);
    expect(await sweepStuck(deps(), Date.now())).toBeGreaterThanOrEqual(1);
    expect((await findCheckout(db(), checkout.id))?.state).toBe("compensated");
    expect(await db().select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId ?? "")).all()).toHaveLength(1);
    expect(await db().select().from(orders).where(eq(orders.checkoutId, checkout.id)).all()).toEqual([]);
    expect((await lockOf(sku)).reserved).toBe(0);
  });

  it("replays a charge left in flight to learn whether it happened, then refunds it", async () => {
    const { checkout, paymentId } = await crashedCheckout("charging");
    await age(checkout.id);
    await sweepStuckCheckouts.run(env, Date.now());
    expect((await findCheckout(db(), checkout.id))?.state).toBe("compensated");
    expect(await db().select().from(payments).where(eq(payments.idempotencyKey, checkout.id)).all()).toHaveLength(1);
    expect(await db().select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId ?? "")).all()).toHaveLength(1);
  });

  it("leaves a checkout that is still within its time alone", async () => {
    const { checkout, sku } = await crashedCheckout("charged");
    await sweepStuck(deps(), Date.now());
    expect((await findCheckout(db(), checkout.id))?.state).toBe("charged");
    expect((await lockOf(sku)).reserved).toBe(2);
  });

  it("is resumed by a retry with the same Idempotency-Key: the order is written with the one charge", async () => {
    const key = newId("idem");
    const { checkout, cartId, sku } = await crashedCheckout("charged", { key });
    // the crashed attempt's claim: in progress, and old enough to be taken over
    const requestHash = await requestFingerprint("POST", "/v1/checkout", JSON.stringify({ cartId, paymentMethod: "pm_card_visa" }));
    const stale = Date.now() - 120_000;
    await db().insert(idempotencyKeys).values({ scope: "anon", key, requestHash, status: "in_progress", lockedAt: stale, createdAt: stale, expiresAt: stale + 86_400_000 }).run();
    const retry = await postCheckout(cartId, { key });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(snapshotOf(checkout).orderId);
    expect((await findCheckout(db(), checkout.id))?.state).toBe("completed");
    expect(await db().select().from(payments).where(eq(payments.idempotencyKey, checkout.id)).all()).toHaveLength(1);
    expect(await lockOf(sku)).toEqual({ onHand: 3, reserved: 0, available: 3 });
  });

  it("gets its reservation committed by the sweep when the order was written but the commit was lost", async () => {
    const { checkout, sku } = await crashedCheckout("charged");
    // finish the order the way the saga does, but die before the commit: run the real batch via a resumed request
    await moveCheckout(db(), checkout.id, "charged", "completed");
    await db().update(inventory).set({ onHand: 3 }).where(eq(inventory.sku, sku)).run();
    await age(checkout.id);
    await sweepStuck(deps(), Date.now());
    expect((await findCheckout(db(), checkout.id))?.stockCommittedAt).not.toBeNull();
    expect(await lockOf(sku)).toEqual({ onHand: 3, reserved: 0, available: 3 });
  });
});
