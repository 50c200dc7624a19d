/**
 * The buyer's consent: a checkout that names the cart version (If-Match) or
 * the total it showed (expectedTotal) is charged exactly that, or answered 409 `price-changed`
 * with nothing reserved or charged. Through the real Worker, real D1 and StockLock.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { createDiscountCode, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { checkouts, prices, testProviderCharges } from "../../db/schema";
import { newId } from "../../platform/ids";
import type { Money } from "../../platform/money";
import { stockLockFor } from "../inventory/inventory.service";
import { checkoutDb as db, postCheckout, readyCartOverHttp } from "./checkout.fixtures";

beforeAll(ensurePricingRules);

const PROBLEM = "https://motor.dev/problems/price-changed";

async function cartVersion(cartId: string): Promise<{ etag: string; total: Money }> {
  const { response, body } = await callJson<{ total: Money }>(`/v1/carts/${cartId}`);
  return { etag: response.headers.get("ETag") ?? "", total: body.total };
}
/** Everything the checkout of this cart left: checkout rows and their charges at the test provider. */
async function checkoutTraces(cartId: string) {
  const rows = await db().select().from(checkouts).where(eq(checkouts.cartId, cartId)).all();
  const charges = await Promise.all(
    rows.map((row) =>
      db().select().from(testProviderCharges).where(eq(testProviderCharges.idempotencyKey, row.id)).all(),
    ),
  );
  return { checkouts: rows.length, charges: charges.flat() };
}
const checkoutWith = (cartId: string, extra: { expectedTotal?: unknown; ifMatch?: string; key?: string }) =>
  postCheckout(cartId, {
    key: extra.key,
    headers: extra.ifMatch === undefined ? {} : { "If-Match": extra.ifMatch },
    body: {
      cartId,
      paymentMethod: "pm_card_visa",
      ...(extra.expectedTotal === undefined ? {} : { expectedTotal: extra.expectedTotal }),
    },
  });

describe("the cart's version (ETag)", () => {
  it("is a strong ETag on every cart answer: a write's answer and a later read agree, and a price change moves it", async () => {
    const sku = await createSellableSku({ eur: 1000 });
    const cartId = await readyCartOverHttp([]);
    const added = await callJson(`/v1/carts/${cartId}/items`, { method: "POST", body: { sku, quantity: 1 } });
    const etag = added.response.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await cartVersion(cartId)).etag).toBe(etag);
    expect((await cartVersion(cartId)).etag).toBe(etag);
    await db()
      .update(prices)
      .set({ amount: 1100 })
      .where(and(eq(prices.sku, sku), eq(prices.currency, "EUR")))
      .run();
    expect((await cartVersion(cartId)).etag).not.toBe(etag);
  });
});

describe("POST /v1/checkout with the buyer's consent", () => {
  it("(a) a one-use code shown on two carts: the second checkout gets 409 price-changed with the full total, nothing charged", async () => {
    const code = await createDiscountCode({ percentBasisPoints: 5000, usageLimit: 1 });
    const sku = await createSellableSku({ eur: 4490 });
    const [first, second] = await Promise.all([
      readyCartOverHttp([{ sku, quantity: 1 }]),
      readyCartOverHttp([{ sku, quantity: 1 }]),
    ]);
    for (const cartId of [first, second])
      expect((await callJson(`/v1/carts/${cartId}/discount`, { method: "POST", body: { code } })).status).toBe(200);
    const [shownFirst, shownSecond] = await Promise.all([cartVersion(first), cartVersion(second)]);
    expect(shownSecond.total).toEqual({ amount: 2745, currency: "EUR" });

    const paid = await checkoutWith(first, { expectedTotal: shownFirst.total, ifMatch: shownFirst.etag });
    expect(paid.status).toBe(201);
    expect(paid.body.total).toEqual({ amount: 2745, currency: "EUR" });

    for (const consent of [{ expectedTotal: shownSecond.total }, { ifMatch: shownSecond.etag }]) {
      const refused = await checkoutWith(second, consent);
      expect(refused.status, JSON.stringify(consent)).toBe(409);
      expect(refused.body).toMatchObject({ type: PROBLEM, total: { amount: 4990, currency: "EUR" } });
      expect(refused.response.headers.get("Retry-After")).toBeNull(); // final: re-confirm with a new key
      expect(refused.response.headers.get("ETag")).toBe((await cartVersion(second)).etag);
      expect((refused.body as unknown as { etag: string }).etag).toBe((await cartVersion(second)).etag);
    }
    expect(await checkoutTraces(second)).toEqual({ checkouts: 0, charges: [] });
    expect((await stockLockFor(env, sku).snapshot(sku)).reserved).toBe(0);
  });

  it("(b) a price raised after the cart view: 409 price-changed, nothing charged; re-confirmed at the new total it succeeds", async () => {
    const sku = await createSellableSku({ eur: 2000 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const shown = await cartVersion(cartId);
    expect(shown.total).toEqual({ amount: 2500, currency: "EUR" });
    await db()
      .update(prices)
      .set({ amount: 2600 })
      .where(and(eq(prices.sku, sku), eq(prices.currency, "EUR")))
      .run();

    const key = newId("idem");
    const refused = await checkoutWith(cartId, { key, ifMatch: shown.etag, expectedTotal: shown.total });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: PROBLEM, total: { amount: 3100, currency: "EUR" } });
    const now = await cartVersion(cartId);
    expect(refused.response.headers.get("ETag")).toBe(now.etag);
    expect(await checkoutTraces(cartId)).toEqual({ checkouts: 0, charges: [] });

    // a 409 is final for its key (docs/checkout.md): the same request replays it, ETag included
    const replay = await checkoutWith(cartId, { key, ifMatch: shown.etag, expectedTotal: shown.total });
    expect(replay.status).toBe(409);
    expect(replay.response.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.response.headers.get("ETag")).toBe(now.etag);

    const confirmed = await checkoutWith(cartId, { ifMatch: now.etag, expectedTotal: now.total });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.total).toEqual({ amount: 3100, currency: "EUR" });
    const traces = await checkoutTraces(cartId);
    expect(traces.charges.map((charge) => [charge.amount, charge.status])).toEqual([[3100, "succeeded"]]);
  });

  it("(b) the total alone is enough: a stale expectedTotal is refused, the new one is charged", async () => {
    const sku = await createSellableSku({ eur: 2000 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const shown = await cartVersion(cartId);
    await db()
      .update(prices)
      .set({ amount: 1800 })
      .where(and(eq(prices.sku, sku), eq(prices.currency, "EUR")))
      .run();
    const refused = await checkoutWith(cartId, { expectedTotal: shown.total });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: PROBLEM, total: { amount: 2300, currency: "EUR" } });
    const confirmed = await checkoutWith(cartId, { expectedTotal: { amount: 2300, currency: "EUR" } });
    expect(confirmed.status).toBe(201);
    expect((await checkoutTraces(cartId)).charges.map((charge) => charge.amount)).toEqual([2300]);
  });

  it("(c) a malformed expectedTotal or If-Match is a 400 naming the field, stores nothing for the key, never a 5xx", async () => {
    const sku = await createSellableSku({ eur: 2000 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    const key = newId("idem");
    const badTotals = [
      2500,
      "2500",
      null,
      {},
      { amount: 2500 },
      { amount: "2500", currency: "EUR" },
      { amount: 25.5, currency: "EUR" },
      { amount: -1, currency: "EUR" },
      { amount: 2500, currency: "eur" },
      { amount: 2500, currency: "GBP" },
      { amount: 2500, currency: "EUR", extra: 1 },
      { amount: 1e300, currency: "EUR" },
    ];
    for (const expectedTotal of badTotals) {
      const answer = await checkoutWith(cartId, { key, expectedTotal });
      expect(answer.status, JSON.stringify(expectedTotal)).toBe(400);
      expect((answer.body as unknown as { errors: { path: string }[] }).errors[0]?.path).toMatch(/^expectedTotal/);
    }
    for (const ifMatch of ["abc", '"unterminated', '"a" "b"', '"a",', "W/abc", '"with space"', "x".repeat(2000)]) {
      const answer = await checkoutWith(cartId, { key, ifMatch });
      expect(answer.status, ifMatch.slice(0, 20)).toBe(400);
      expect((answer.body as unknown as { errors: { path: string }[] }).errors[0]?.path).toBe("if-match");
    }
    // a weak tag is well-formed but never matches (strong comparison): the cart is not confirmed
    const weak = await checkoutWith(cartId, { ifMatch: `W/${(await cartVersion(cartId)).etag}` });
    expect(weak.status).toBe(409);
    expect(await checkoutTraces(cartId)).toEqual({ checkouts: 0, charges: [] });
    // none of the 400s claimed the key: it still runs a checkout
    expect((await checkoutWith(cartId, { key, ifMatch: (await cartVersion(cartId)).etag })).status).toBe(201);
  });

  it("(d) a v1 checkout that sends neither is charged the re-priced total, as before", async () => {
    const sku = await createSellableSku({ eur: 2000 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    await db()
      .update(prices)
      .set({ amount: 2600 })
      .where(and(eq(prices.sku, sku), eq(prices.currency, "EUR")))
      .run();
    const { status, body } = await postCheckout(cartId);
    expect(status).toBe(201);
    expect(body.total).toEqual({ amount: 3100, currency: "EUR" });
    expect((await checkoutTraces(cartId)).charges.map((charge) => charge.amount)).toEqual([3100]);
  });

  it("If-Match: * confirms whatever the cart is now (RFC 9110), as sending neither does", async () => {
    const sku = await createSellableSku({ eur: 2000 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }]);
    expect((await checkoutWith(cartId, { ifMatch: "*" })).status).toBe(201);
  });
});
