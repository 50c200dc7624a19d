import { eq } from "drizzle-orm";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { declaredOperations } from "../../../test/helpers/declared-routes";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { carts, inventory, prices, products } from "../../db/schema";
import type { CartView } from "./cart.schemas";
import { expireIdleCarts } from "./cart.cron";
import { cartRouter } from ".";

type Problem = { status: number; skus?: string[]; errors?: { path: string }[] };

async function newCart(body: object = { country: "ES" }, token?: string) {
  const { status, body: cart } = await callJson<CartView>("/v1/carts", { method: "POST", body, token });
  expect(status).toBe(201);
  return cart;
}

const addItem = (id: string, sku: string, quantity: number, token?: string) =>
  callJson<CartView & Problem>(`/v1/carts/${id}/items`, { method: "POST", body: { sku, quantity }, token });

beforeAll(ensurePricingRules);

describe("carts", () => {
  it("creates an anonymous, empty, unguessable cart", async () => {
    const { status, body, response } = await callJson<CartView>("/v1/carts", { method: "POST", body: {} });
    expect(status).toBe(201);
    expect(body.id).toMatch(/^cart_[0-9A-Za-z]{22}$/);
    expect(response.headers.get("Location")).toBe(`/v1/carts/${body.id}`);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(body).toMatchObject({
      currency: "EUR",
      country: null,
      lines: [],
      subtotal: { amount: 0, currency: "EUR" },
      total: { amount: 0 },
      readyForCheckout: false,
    });
  });

  it("defaults a US cart to USD", async () => {
    expect((await newCart({ country: "US" })).currency).toBe("USD");
    expect((await newCart({ country: "US", currency: "EUR" })).currency).toBe("EUR");
  });

  it("prices lines from the catalog: ES VAT included, shipping taxed and added", async () => {
    const sku = await createSellableSku({ eur: 1999 });
    const cart = await newCart({ country: "ES" });
    const { status, body } = await addItem(cart.id, sku, 1);
    expect(status).toBe(200);
    expect(body.lines).toEqual([
      {
        sku,
        title: `Variant ${sku}`,
        quantity: 1,
        unitPrice: { amount: 1999, currency: "EUR" },
        total: { amount: 1999, currency: "EUR" },
        discount: { amount: 0, currency: "EUR" },
        tax: { amount: 347, currency: "EUR" },
      },
    ]);
    expect(body.subtotal.amount).toBe(1999);
    expect(body.shipping.amount).toBe(500);
    expect(body.tax).toEqual({
      amount: 434,
      currency: "EUR",
      inclusive: true,
      status: "calculated",
      breakdown: [{ name: "IVA", rateBasisPoints: 2100, amount: 434 }],
    });
    expect(body.total.amount).toBe(2499);
    expect(body.readyForCheckout).toBe(true);
  });

  it("adds to an existing line, sets and removes a quantity", async () => {
    const sku = await createSellableSku({ eur: 1000 });
    const cart = await newCart();
    await addItem(cart.id, sku, 2);
    expect((await addItem(cart.id, sku, 3)).body.lines[0]?.quantity).toBe(5);
    const patched = await callJson<CartView>(`/v1/carts/${cart.id}/items/${sku}`, {
      method: "PATCH",
      body: { quantity: 1 },
    });
    expect(patched.body.subtotal.amount).toBe(1000);
    const removed = await callJson<CartView>(`/v1/carts/${cart.id}/items/${sku}`, { method: "DELETE" });
    expect(removed.body.lines).toEqual([]);
    expect(removed.body.blockers).toContain("empty_cart");
    expect((await callJson(`/v1/carts/${cart.id}/items/${sku}`, { method: "DELETE" })).status).toBe(404);
    expect(
      (await callJson(`/v1/carts/${cart.id}/items/${sku}`, { method: "PATCH", body: { quantity: 1 } })).status,
    ).toBe(404);
  });

  it("answers 409 naming the SKU beyond the available stock (on hand − reserved)", async () => {
    const sku = await createSellableSku({ onHand: 5 });
    const cart = await newCart();
    const over = await addItem(cart.id, sku, 6);
    expect(over.status).toBe(409);
    expect(over.body.skus).toEqual([sku]);
    await cartDb().update(inventory).set({ reserved: 3 }).where(eq(inventory.sku, sku));
    expect((await addItem(cart.id, sku, 3)).status).toBe(409);
    expect((await addItem(cart.id, sku, 2)).status).toBe(200);
    expect((await addItem(cart.id, sku, 1)).status).toBe(409); // 2 in the cart + 1 > 2 available
    expect(
      (await callJson(`/v1/carts/${cart.id}/items/${sku}`, { method: "PATCH", body: { quantity: 3 } })).status,
    ).toBe(409);
  });

  it("counts concurrent adds to one line exactly and never goes past the stock", async () => {
    const sku = await createSellableSku({ onHand: 3 });
    const cart = await newCart();
    const answers = await Promise.all(Array.from({ length: 6 }, () => addItem(cart.id, sku, 1)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(3);
    expect((await callJson<CartView>(`/v1/carts/${cart.id}`)).body.lines[0]?.quantity).toBe(3);
  });

  it("caps one line at 100 even with plenty of stock", async () => {
    const sku = await createSellableSku({ onHand: 1000 });
    const cart = await newCart();
    expect((await addItem(cart.id, sku, 100)).status).toBe(200);
    const over = await addItem(cart.id, sku, 1);
    expect(over.status).toBe(409);
    expect(over.body.skus).toEqual([sku]);
  });

  it("re-prices from the catalog as it is now, and flags SKUs no longer sold", async () => {
    const sku = await createSellableSku({ eur: 1000 });
    const cart = await newCart();
    await addItem(cart.id, sku, 1);
    await cartDb().update(prices).set({ amount: 1200 }).where(eq(prices.sku, sku));
    expect((await callJson<CartView>(`/v1/carts/${cart.id}`)).body.subtotal.amount).toBe(1200);
    await cartDb()
      .update(products)
      .set({ status: "archived" })
      .where(eq(products.title, `Product ${sku}`));
    const { body } = await callJson<CartView>(`/v1/carts/${cart.id}`);
    expect(body.lines).toEqual([]);
    expect(body.unavailableSkus).toEqual([sku]);
    expect(body.blockers).toContain("sku_unavailable");
    expect(body.readyForCheckout).toBe(false);
  });
});

describe("the cart routes in the OpenAPI document", () => {
  it("documents every cart route in the OpenAPI document", async () => {
    const operations = declaredOperations(cartRouter);
    expect(operations).toEqual(
      expect.arrayContaining(["PATCH /v1/carts/{id}/items/{sku}", "DELETE /v1/carts/{id}/items/{sku}"]),
    );
    const paths = operations.map((operation) => operation.split(" ")[1]);
    for (const path of [
      "/v1/carts",
      "/v1/carts/{id}",
      "/v1/carts/{id}/items",
      "/v1/carts/{id}/discount",
      "/v1/carts/{id}/claim",
    ])
      expect(paths).toContain(path);
  });
});

describe("cart ownership and expiry", () => {
  it("an owned cart is 404 for anyone else, anonymous callers included", async () => {
    const [owner, other] = await Promise.all([createUser(), createUser()]);
    const cart = await newCart({ country: "ES" }, owner.token);
    const sku = await createSellableSku();
    expect((await callJson(`/v1/carts/${cart.id}`, { token: owner.token })).status).toBe(200);
    expect((await callJson(`/v1/carts/${cart.id}`, { token: other.token })).status).toBe(404);
    expect((await callJson(`/v1/carts/${cart.id}`)).status).toBe(404);
    expect((await addItem(cart.id, sku, 1, other.token)).status).toBe(404);
    expect(
      (await callJson(`/v1/carts/${cart.id}`, { method: "PATCH", body: { email: "x@example.test" } })).status,
    ).toBe(404);
    expect((await callJson(`/v1/carts/${cart.id}/items/${sku}`, { method: "DELETE", token: other.token })).status).toBe(
      404,
    );
  });

  it("an anonymous cart is reachable by its id alone", async () => {
    const cart = await newCart();
    const someone = await createUser();
    expect((await callJson(`/v1/carts/${cart.id}`)).status).toBe(200);
    expect((await callJson(`/v1/carts/${cart.id}`, { token: someone.token })).status).toBe(200);
    expect((await callJson(`/v1/carts/cart_0000000000000000000000`)).status).toBe(404);
  });

  it("expires after CART_TTL_HOURS idle (404), and the cron job deletes it", async () => {
    const cart = await newCart();
    const longAgo = Date.now() - 73 * 60 * 60 * 1000;
    await cartDb().update(carts).set({ updatedAt: longAgo }).where(eq(carts.id, cart.id));
    expect((await callJson(`/v1/carts/${cart.id}`)).status).toBe(404);
    await expireIdleCarts.run(env, Date.now());
    expect(await cartDb().select().from(carts).where(eq(carts.id, cart.id))).toEqual([]);
  });

  it("the cron job keeps carts that are still fresh", async () => {
    const cart = await newCart();
    await expireIdleCarts.run(env, Date.now());
    expect((await callJson(`/v1/carts/${cart.id}`)).status).toBe(200);
  });
});

describe("cart address and tax", () => {
  const address = { country: "US", region: "CA", postalCode: "94103", city: "San Francisco", line1: "1 Market St" };

  it("taxes a US address on top of the price, by state", async () => {
    const sku = await createSellableSku({ usd: 2199 });
    const cart = await newCart({ country: "US" });
    await addItem(cart.id, sku, 2);
    const { status, body } = await callJson<CartView>(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { email: "buyer@example.test", shippingAddress: address },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ email: "buyer@example.test", country: "US", shippingAddress: address });
    expect(body.tax).toMatchObject({ amount: 319, inclusive: false, status: "calculated" });
    expect(body.total.amount).toBe(4398 + 799 + 319);
  });

  it("leaves tax pending for a US cart without a state, and checkout blocked", async () => {
    const sku = await createSellableSku();
    const cart = await newCart({ country: "US" });
    const { body } = await addItem(cart.id, sku, 1);
    expect(body.tax).toMatchObject({ amount: 0, status: "pending" });
    expect(body.blockers).toEqual(["region_required"]);
    expect(body.readyForCheckout).toBe(false);
  });

  it("refuses a US address without a region (422)", async () => {
    const cart = await newCart({ country: "US" });
    const { region: _region, ...withoutRegion } = address;
    const { status, body } = await callJson<Problem>(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { shippingAddress: withoutRegion },
    });
    expect(status).toBe(422);
    expect(body.errors?.[0]?.path).toBe("shippingAddress.region");
  });

  it("accepts an address without a region where the rules are country-wide", async () => {
    const cart = await newCart();
    const { status } = await callJson(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { shippingAddress: { country: "DE", postalCode: "10115", city: "Berlin", line1: "Unter den Linden 1" } },
    });
    expect(status).toBe(200);
  });
});
