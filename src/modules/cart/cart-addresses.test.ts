import { beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { postCheckout, readyCartOverHttp } from "../checkout/checkout.fixtures";
import type { OrderView } from "../orders/orders.schemas";
import { createUser } from "../../../test/helpers/auth";
import type { CartView } from "./cart.schemas";

const full = {
  name: "Ana García",
  company: "Tienda SL",
  line1: "Calle Mayor 1",
  line2: "3º B",
  postalCode: "28001",
  city: "Madrid",
  country: "ES",
  phone: "+34 (91) 234-56.78",
};
const billing = { name: "Ana Billing", line1: "Gran Vía 2", postalCode: "28013", city: "Madrid", country: "ES" };

beforeAll(ensurePricingRules);

describe("cart addresses", () => {
  it("keeps recipient, company, line2 and the phone normalised to E.164", async () => {
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: {} })).body;
    const { status, body } = await callJson<CartView>(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { shippingAddress: full },
    });
    expect(status).toBe(200);
    expect(body.shippingAddress).toEqual({ ...full, phone: "+34912345678" });
  });

  it("sets and removes an optional billing address, which does not change the tax destination", async () => {
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country: "ES" } })).body;
    const set = await callJson<CartView>(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { billingAddress: { ...billing, country: "DE" } },
    });
    expect(set.body).toMatchObject({ billingAddress: { ...billing, country: "DE" }, country: "ES" });
    const removed = await callJson<CartView>(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { billingAddress: null },
    });
    expect(removed.body.billingAddress).toBeNull();
  });

  it("refuses a billing address with a 200-character phone (400)", async () => {
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: {} })).body;
    const { status, body } = await callJson<{ errors: { path: string }[] }>(`/v1/carts/${cart.id}`, {
      method: "PATCH",
      body: { billingAddress: { ...billing, phone: `+${"9".repeat(199)}` } },
    });
    expect(status).toBe(400);
    expect(body.errors[0]?.path).toBe("billingAddress.phone");
  });

  it("carries both addresses into the order and the buyer's view of it", async () => {
    const buyer = await createUser();
    const sku = await createSellableSku();
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }], { token: buyer.token, address: full });
    expect(
      (
        await callJson(`/v1/carts/${cartId}`, {
          method: "PATCH",
          token: buyer.token,
          body: { billingAddress: billing },
        })
      ).status,
    ).toBe(200);
    const { status, body } = await postCheckout(cartId, { token: buyer.token });
    expect(status).toBe(201);
    const expected = { shippingAddress: { ...full, phone: "+34912345678" }, billingAddress: billing };
    expect(body).toMatchObject(expected);
    expect((await callJson<OrderView>(`/v1/orders/${body.id}`, { token: buyer.token })).body).toMatchObject(expected);
  });
});
