import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { NotFoundError } from "../../platform/errors";
import { loadPricedCart } from "./cart-pricing";
import type { CartView } from "./cart.schemas";

const options = () => ({ now: Date.now(), ttlMs: 72 * 60 * 60 * 1000 });

beforeAll(ensurePricingRules);

describe("loadPricedCart (the checkout contract)", () => {
  it("prices the owner's cart from the catalog and says it is ready", async () => {
    const user = await createUser();
    const sku = await createSellableSku({ eur: 2500 });
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country: "DE" }, token: user.token }))
      .body;
    await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku, quantity: 2 }, token: user.token });
    const priced = await loadPricedCart(
      cartDb(),
      cart.id,
      { userId: user.id, role: "customer", tokenVersion: 0 },
      options(),
    );
    expect(priced.readyForCheckout).toBe(true);
    expect(priced.totals.total).toBe(5000);
    expect(priced.view.lines.map((line) => [line.sku, line.quantity, line.unitPrice.amount])).toEqual([[sku, 2, 2500]]);
    expect(priced.appliedDiscountCode).toBeNull();
  });

  it("throws NotFoundError for someone else's cart and for an anonymous caller", async () => {
    const [owner, other] = await Promise.all([createUser(), createUser()]);
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: {}, token: owner.token })).body;
    await expect(
      loadPricedCart(cartDb(), cart.id, { userId: other.id, role: "customer", tokenVersion: 0 }, options()),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadPricedCart(cartDb(), cart.id, undefined, options())).rejects.toBeInstanceOf(NotFoundError);
  });

  it("is not ready when empty or without a destination", async () => {
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: {} })).body;
    const priced = await loadPricedCart(cartDb(), cart.id, undefined, options());
    expect(priced.readyForCheckout).toBe(false);
    expect(priced.view.blockers).toEqual(["empty_cart", "country_required"]);
  });

  it("refuses a 51st distinct SKU (422)", async () => {
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country: "ES" } })).body;
    const skus = await Promise.all(Array.from({ length: 51 }, () => createSellableSku()));
    for (const sku of skus.slice(0, 50))
      expect(
        (await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku, quantity: 1 } })).status,
      ).toBe(200);
    expect(
      (await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku: skus[50], quantity: 1 } })).status,
    ).toBe(422);
  });
});
