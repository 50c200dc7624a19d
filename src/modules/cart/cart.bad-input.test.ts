import { beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import type { CartView } from "./cart.schemas";

type Problem = { status: number; type: string; skus?: string[]; errors?: { path: string; message: string }[] };

async function freshCart(body: object = { country: "ES" }) {
  return (await callJson<CartView>("/v1/carts", { method: "POST", body })).body;
}

beforeAll(ensurePricingRules);

describe("cart bad input → 4xx problems", () => {
  it.each([
    ["negative", -1],
    ["zero", 0],
    ["fractional", 1.5],
    ["a string", "2"],
    ["null", null],
    ["above the per-line bound", 101],
    ["huge", 1e12],
    ["not finite", "Infinity"],
  ])("rejects a %s quantity with 400 on add and on update", async (_name, quantity) => {
    const sku = await createSellableSku();
    const cart = await freshCart();
    const added = await callJson<Problem>(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku, quantity } });
    expect(added.status).toBe(400);
    expect(added.body.errors?.[0]?.path).toBe("quantity");
    await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku, quantity: 1 } });
    expect((await callJson(`/v1/carts/${cart.id}/items/${sku}`, { method: "PATCH", body: { quantity } })).status).toBe(
      400,
    );
  });

  it.each([["price"], ["unitPrice"], ["total"]])("rejects a client-sent %s (400) and never uses it", async (field) => {
    const sku = await createSellableSku({ eur: 1999 });
    const cart = await freshCart();
    const { status, body } = await callJson<Problem>(`/v1/carts/${cart.id}/items`, {
      method: "POST",
      body: { sku, quantity: 1, [field]: 1 },
    });
    expect(status).toBe(400);
    expect(body.type).toContain("validation");
    expect((await callJson<CartView>(`/v1/carts/${cart.id}`)).body.lines).toEqual([]);
  });

  it("answers 422 naming an unknown SKU", async () => {
    const cart = await freshCart();
    const { status, body } = await callJson<Problem>(`/v1/carts/${cart.id}/items`, {
      method: "POST",
      body: { sku: "NO-SUCH-SKU", quantity: 1 },
    });
    expect(status).toBe(422);
    expect(body.skus).toEqual(["NO-SUCH-SKU"]);
  });

  it("answers 422 for a SKU of a draft product, or without a price in the cart currency", async () => {
    const draft = await createSellableSku({ productStatus: "draft" });
    const euroOnly = await createSellableSku({ usd: null });
    const eurCart = await freshCart();
    const usdCart = await freshCart({ country: "US" });
    expect(
      (await callJson(`/v1/carts/${eurCart.id}/items`, { method: "POST", body: { sku: draft, quantity: 1 } })).status,
    ).toBe(422);
    expect(
      (await callJson(`/v1/carts/${usdCart.id}/items`, { method: "POST", body: { sku: euroOnly, quantity: 1 } }))
        .status,
    ).toBe(422);
  });

  it.each([
    ["an unsupported currency", { currency: "GBP" }],
    ["a lower-case currency", { currency: "eur" }],
    ["an unknown country code", { country: "XX" }],
    ["a lower-case country code", { country: "es" }],
    ["an unknown field", { price: 1 }],
    ["a number as country", { country: 34 }],
  ])("refuses to create a cart with %s (400)", async (_name, body) => {
    expect((await callJson("/v1/carts", { method: "POST", body })).status).toBe(400);
  });

  it("does not let a PATCH change the currency (one currency per cart)", async () => {
    const cart = await freshCart();
    expect((await callJson(`/v1/carts/${cart.id}`, { method: "PATCH", body: { currency: "USD" } })).status).toBe(400);
  });

  const address = { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" };
  it.each([
    ["an unknown country", { ...address, country: "ZZ" }],
    ["a missing city", { country: "ES", postalCode: "28001", line1: "x" }],
    ["an empty line1", { ...address, line1: "  " }],
    ["a malformed region", { ...address, region: "not a region" }],
    ["a hostile, huge street", { ...address, line1: "x".repeat(10_000) }],
    ["an extra field", { ...address, floor: "x" }],
    ["a phone number of 200 characters", { ...address, phone: `+34${"1".repeat(197)}` }],
    ["a phone number without its country code", { ...address, phone: "912 345 678" }],
    ["a phone number with letters", { ...address, phone: "+34 CALL-ME-NOW" }],
    ["a phone number with too few digits", { ...address, phone: "+34 12" }],
    ["a huge recipient name", { ...address, name: "n".repeat(101) }],
  ])("refuses an address with %s (400)", async (_name, shippingAddress) => {
    const cart = await freshCart();
    expect((await callJson(`/v1/carts/${cart.id}`, { method: "PATCH", body: { shippingAddress } })).status).toBe(400);
  });

  it("refuses a malformed email and malformed JSON (400)", async () => {
    const cart = await freshCart();
    expect((await callJson(`/v1/carts/${cart.id}`, { method: "PATCH", body: { email: "not-an-email" } })).status).toBe(
      400,
    );
    expect((await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: '{"sku": ' })).status).toBe(400);
  });

  it("answers 404 for an unknown or absurd cart id", async () => {
    expect((await callJson("/v1/carts/cart_doesnotexist")).status).toBe(404);
    expect((await callJson(`/v1/carts/${"x".repeat(65)}`)).status).toBe(400);
    expect(
      (await callJson("/v1/carts/cart_doesnotexist/items", { method: "POST", body: { sku: "X", quantity: 1 } })).status,
    ).toBe(404);
  });
});
