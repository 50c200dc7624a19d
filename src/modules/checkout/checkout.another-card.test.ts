/**
 * A buyer whose authentication failed pays with another card on the SAME checkout while
 * its window is open — the stock still held, a new charge under a new key, one order — and
 * nothing else can: not another buyer, not a checkout that is not waiting for a card, not after the
 * window. A double submit charges once.
 */
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { createUser } from "../../../test/helpers/auth";
import { BASE_URL, callJson } from "../../../test/helpers/http";
import { orders, testProviderCharges } from "../../db/schema";
import { configOf } from "../../env";
import { stockLockFor } from "../inventory/inventory.service";
import { paymentProviderFor } from "../payments/payments.service";
import { checkoutDb as db, postCheckout, readyCartOverHttp, sweepDue } from "./checkout.fixtures";
import { BUYER_ACTION_WINDOW_MS } from "./checkout.policy";
import { findCheckout } from "./checkout.repository";

beforeAll(ensurePricingRules);

const RETURN_URL = "http://localhost:3000/checkout/return";
const lockOf = (sku: string) => stockLockFor(env, sku).snapshot(sku);
const chargesOf = (checkoutId: string) =>
  db()
    .select()
    .from(testProviderCharges)
    .where(eq(testProviderCharges.checkoutId, checkoutId))
    .orderBy(testProviderCharges.createdAt)
    .all();
const ordersOf = (checkoutId: string) => db().select().from(orders).where(eq(orders.checkoutId, checkoutId)).all();

interface Answer {
  checkoutId: string;
  retryUntil?: string;
  status: string;
  nextAction: { type: string; url: string };
  id?: string;
  total?: number;
  declineCode?: string;
  detail?: string;
}

const authenticate = (url: string, choice: "complete" | "fail") =>
  exports.default.fetch(
    new Request(`${BASE_URL}${new URL(url).pathname}/${choice}?webhook=never`, { method: "POST", redirect: "manual" }),
  );
const complete = (checkoutId: string, token?: string) =>
  callJson<Answer>(`/v1/checkouts/${checkoutId}/complete`, { method: "POST", ...(token ? { token } : {}) });
const payWith = (checkoutId: string, body: unknown, token?: string) =>
  callJson<Answer>(`/v1/checkouts/${checkoutId}/payment-method`, { method: "POST", body, ...(token ? { token } : {}) });

/** A checkout whose 3-D Secure authentication failed: 402, the hold kept. */
async function failedCheckout(token?: string) {
  const sku = await createSellableSku({ onHand: 3 });
  const cartId = await readyCartOverHttp([{ sku, quantity: 2 }], token ? { token } : {});
  const key = crypto.randomUUID();
  const body = { cartId, paymentMethod: "pm_card_threeDSecureRequired", returnUrl: RETURN_URL };
  const first = await postCheckout(cartId, { key, body, ...(token ? { token } : {}) });
  expect(first.status).toBe(202);
  const answer = first.body as unknown as Answer;
  expect((await authenticate(answer.nextAction.url, "fail")).status).toBe(303);
  const failed = await complete(answer.checkoutId, token);
  expect(failed.status).toBe(402);
  // the 402 names the checkout and until when another card may be tried on it
  const checkout = await findCheckout(db(), answer.checkoutId);
  const retryUntil = new Date((checkout?.createdAt ?? 0) + BUYER_ACTION_WINDOW_MS).toISOString();
  expect(failed.body).toMatchObject({
    declineCode: "authentication_failed",
    checkoutId: answer.checkoutId,
    retryUntil,
  });
  // so does a replay of the original key
  const replay = await postCheckout(cartId, { key, body, ...(token ? { token } : {}) });
  expect(replay.status).toBe(402);
  expect(replay.body).toMatchObject({ checkoutId: answer.checkoutId, retryUntil });
  return { sku, cartId, key, body, checkoutId: answer.checkoutId };
}

describe("paying with another card after a failed authentication", () => {
  it("charges the new card on the same checkout: one order, the failed payment cancelled, the key's replay answers the order", async () => {
    const { sku, cartId, key, body, checkoutId } = await failedCheckout();
    expect(await lockOf(sku)).toMatchObject({ reserved: 2 });
    const paid = await payWith(checkoutId, { paymentMethod: "pm_card_visa" });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const [order] = await ordersOf(checkoutId);
    expect(paid.body).toMatchObject({ id: order?.id, status: "paid" });
    const charges = await chargesOf(checkoutId);
    expect(charges.map((charge) => [charge.paymentMethod, charge.status])).toEqual([
      ["pm_card_threeDSecureRequired", "declined"],
      ["pm_card_visa", "succeeded"],
    ]);
    expect(charges[1]?.idempotencyKey).toBe(`${checkoutId}:attempt:1`);
    expect(order?.paymentId).toBe(charges[1]?.id);
    // the original request's key now answers the order, not the failure
    const replay = await postCheckout(cartId, { key, body });
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ id: order?.id });
    expect((await callJson(`/v1/checkouts/${checkoutId}`)).body).toMatchObject({
      status: "completed",
      orderId: order?.id,
    });
    // the same request again (its answer lost) answers the order; another card is refused
    const again = await payWith(checkoutId, { paymentMethod: "pm_card_visa" });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: order?.id });
    expect((await payWith(checkoutId, { paymentMethod: "pm_card_mastercard" })).status).toBe(409);
    expect(await chargesOf(checkoutId)).toHaveLength(2);
  });

  it("a second card that needs the buyer too: 202 to the bank again, then the order", async () => {
    const { checkoutId } = await failedCheckout();
    const again = await payWith(checkoutId, { paymentMethod: "pm_card_threeDSecureRequired", returnUrl: RETURN_URL });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ checkoutId, status: "requires_action", nextAction: { type: "redirect" } });
    expect((await authenticate(again.body.nextAction.url, "complete")).status).toBe(303);
    expect((await complete(checkoutId)).status).toBe(201);
    expect(await ordersOf(checkoutId)).toHaveLength(1);
  });

  it("a second card declined at the charge answers 402 and ends the checkout, as a decline at the first charge does", async () => {
    const { checkoutId } = await failedCheckout();
    const declined = await payWith(checkoutId, { paymentMethod: "pm_card_chargeDeclined" });
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ declineCode: "card_declined" });
    // a card declined at the charge ends the checkout (as at a first charge): there is no bank page to fail on
    expect((await findCheckout(db(), checkoutId))?.state).toBe("compensated");
    expect((await payWith(checkoutId, { paymentMethod: "pm_card_visa" })).status).toBe(409);
  });

  it("a double submit charges once", async () => {
    const { checkoutId } = await failedCheckout();
    const answers = await Promise.all([
      payWith(checkoutId, { paymentMethod: "pm_card_visa" }),
      payWith(checkoutId, { paymentMethod: "pm_card_visa" }),
      payWith(checkoutId, { paymentMethod: "pm_card_mastercard" }),
    ]);
    // the same card twice: both answer the order (one drives it, the other follows); the other card, if it lost, is refused
    expect(answers.filter((answer) => answer.status === 201).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((answer) => answer.status === 201 || answer.status === 409)).toBe(true);
    const succeeded = (await chargesOf(checkoutId)).filter((charge) => charge.status === "succeeded");
    expect(succeeded).toHaveLength(1);
    expect(await ordersOf(checkoutId)).toHaveLength(1);
  });

  it("charges nothing when refused: another buyer (404), not waiting for a card (409), window passed (409), bad input", async () => {
    const owner = await createUser("customer");
    const stranger = await createUser("customer");
    const { sku, checkoutId } = await failedCheckout(owner.token);
    expect((await payWith(checkoutId, { paymentMethod: "pm_card_visa" }, stranger.token)).status).toBe(404);
    expect((await payWith(checkoutId, { paymentMethod: "pm_card_visa" })).status).toBe(404);
    expect((await payWith(checkoutId, { paymentMethod: "not a token!" }, owner.token)).status).toBe(400);
    expect((await payWith(checkoutId, { paymentMethod: "pm_card_visa", extra: 1 }, owner.token)).status).toBe(400);
    expect(
      (
        await payWith(
          checkoutId,
          { paymentMethod: "pm_card_visa", returnUrl: "https://evil.example/steal" },
          owner.token,
        )
      ).status,
    ).toBe(422);
    expect((await payWith("chk_0123456789ABCDEFGHIJKL", { paymentMethod: "pm_card_visa" }, owner.token)).status).toBe(
      404,
    );
    expect(await chargesOf(checkoutId)).toHaveLength(1);
    // a checkout still at the bank is not waiting for a card
    const waitingSku = await createSellableSku({ onHand: 3 });
    const waitingCart = await readyCartOverHttp([{ sku: waitingSku, quantity: 1 }]);
    const waiting = await postCheckout(waitingCart, {
      key: crypto.randomUUID(),
      body: { cartId: waitingCart, paymentMethod: "pm_card_threeDSecureRequired", returnUrl: RETURN_URL },
    });
    expect(
      (await payWith((waiting.body as unknown as Answer).checkoutId, { paymentMethod: "pm_card_visa" })).status,
    ).toBe(409);
    // past the window: expired, the hold released, nothing charged
    const checkout = await findCheckout(db(), checkoutId);
    await sweepDue(
      { db: db(), env, payments: paymentProviderFor(env, configOf(env)) },
      (checkout?.createdAt ?? 0) + BUYER_ACTION_WINDOW_MS,
    );
    const late = await payWith(checkoutId, { paymentMethod: "pm_card_visa" }, owner.token);
    expect(late.status).toBe(409);
    expect(await lockOf(sku)).toMatchObject({ reserved: 0 });
    expect(await chargesOf(checkoutId)).toHaveLength(1);
  });
});
