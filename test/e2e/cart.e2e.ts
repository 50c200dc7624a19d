import { describe, expect, it } from "vitest";
import { request } from "./http";

type Cart = {
  id: string;
  currency: string;
  lines: { sku: string; quantity: number; unitPrice: { amount: number } }[];
  subtotal: { amount: number };
  discount: { amount: number };
  shipping: { amount: number };
  tax: {
    amount: number;
    inclusive: boolean;
    status: string;
    breakdown: { name: string; rateBasisPoints: number; amount: number }[];
  };
  total: { amount: number };
  readyForCheckout: boolean;
  skus?: string[];
};

const createCart = async (json: object, token?: string) => {
  const { status, body } = await request("/v1/carts", { method: "POST", json, token });
  expect(status).toBe(201);
  return body as unknown as Cart;
};
const add = async (id: string, sku: string, quantity: number, token?: string) => {
  const { status, body } = await request(`/v1/carts/${id}/items`, { method: "POST", json: { sku, quantity }, token });
  return { status, cart: body as unknown as Cart };
};

describe("carts over HTTP with the seeded catalog", () => {
  it("prices a Spanish cart: VAT included, weight-band shipping, WELCOME10 before tax", async () => {
    const cart = await createCart({ country: "ES" });
    const added = await add(cart.id, "CLASSIC-TEE-M", 2);
    expect(added.status).toBe(200);
    expect(added.cart.lines[0]).toMatchObject({ sku: "CLASSIC-TEE-M", quantity: 2, unitPrice: { amount: 1999 } });
    expect(added.cart).toMatchObject({
      subtotal: { amount: 3998 },
      shipping: { amount: 495 },
      total: { amount: 4493 },
    });
    expect(added.cart.tax).toMatchObject({
      inclusive: true,
      amount: 694 + 86,
      breakdown: [{ name: "IVA", rateBasisPoints: 2100, amount: 780 }],
    });
    const { status, body } = await request(`/v1/carts/${cart.id}/discount`, {
      method: "POST",
      json: { code: "welcome10" },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ discount: { amount: 400 }, total: { amount: 3998 - 400 + 495 } });
  });

  it("adds sales tax on top in California and leaves it pending without a state", async () => {
    const cart = await createCart({ country: "US" });
    const { cart: pending } = await add(cart.id, "CLASSIC-TEE-M", 1);
    expect(pending.currency).toBe("USD");
    expect(pending.tax.status).toBe("pending");
    expect(pending.readyForCheckout).toBe(false);
    const address = { country: "US", region: "CA", postalCode: "94103", city: "San Francisco", line1: "1 Market St" };
    const { body } = await request(`/v1/carts/${cart.id}`, { method: "PATCH", json: { shippingAddress: address } });
    expect(body).toMatchObject({
      subtotal: { amount: 2199 },
      shipping: { amount: 799 },
      tax: { amount: 159, inclusive: false, status: "calculated" },
      total: { amount: 2199 + 799 + 159 },
    });
  });

  it("answers 409 naming a scarce SKU, 400 for a client price, 422 for an unknown SKU", async () => {
    const cart = await createCart({ country: "DE" });
    const scarce = await add(cart.id, "CLASSIC-TEE-S", 4);
    expect(scarce.status).toBe(409);
    expect(scarce.cart.skus).toEqual(["CLASSIC-TEE-S"]);
    const priced = await request(`/v1/carts/${cart.id}/items`, {
      method: "POST",
      json: { sku: "CLASSIC-TEE-M", quantity: 1, unitPrice: 1 },
    });
    expect(priced.status).toBe(400);
    expect(priced.headers.get("content-type")).toBe("application/problem+json");
    expect((await add(cart.id, "NOT-A-SKU", 1)).status).toBe(422);
    expect((await add(cart.id, "CLASSIC-TEE-M", 0)).status).toBe(400);
  });

  it("keeps a signed-in user's cart private and lets them claim an anonymous one", async () => {
    // the seeded local admin is a signed-in user like any other for carts
    const login = await request("/v1/auth/login", {
      method: "POST",
      json: { email: "admin@motor.local", password: "motor-admin-local" },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    const owned = await createCart({ country: "ES" }, token);
    expect((await request(`/v1/carts/${owned.id}`)).status).toBe(404);
    const anonymous = await createCart({ country: "ES" });
    await add(anonymous.id, "CLASSIC-TEE-L", 1);
    const claimed = await request(`/v1/carts/${anonymous.id}/claim`, { method: "POST", token });
    expect(claimed.status).toBe(200);
    expect((await request(`/v1/carts/${anonymous.id}`)).status).toBe(404);
    expect((await request(`/v1/carts/${owned.id}`, { token })).status).toBe(404); // merged into the claimed cart
  });

  it("offers Standard and Express for the seeded EU and the US, free Standard above the threshold, applies the choice", async () => {
    for (const country of ["ES", "IT", "US"]) {
      const cart = await createCart({ country });
      await add(cart.id, "BEANIE-BLACK", 1);
      const { status, body } = await request(`/v1/carts/${cart.id}/shipping-options`);
      expect(status).toBe(200);
      expect((body as unknown as { data: { name: string }[] }).data.map((option) => option.name)).toEqual([
        "Standard",
        "Express",
      ]);
    }
    const cart = await createCart({ country: "ES" });
    await add(cart.id, "LEATHER-BOOT-41", 1);
    const options = (await request(`/v1/carts/${cart.id}/shipping-options`)).body as unknown as {
      data: { id: string; name: string; amount: { amount: number } }[];
    };
    expect(options.data.map((option) => [option.name, option.amount.amount])).toEqual([
      ["Standard", 0],
      ["Express", 1295],
    ]);
    const express = options.data.find((option) => option.name === "Express");
    const chosen = await request(`/v1/carts/${cart.id}`, { method: "PATCH", json: { shippingOptionId: express?.id } });
    expect(chosen.body).toMatchObject({ shipping: { amount: 1295 }, total: { amount: 18900 + 1295 } });
  });

  it("taxes Italy and the UK with their seeded VAT instead of a silent zero", async () => {
    for (const [country, rate] of [
      ["IT", 2200],
      ["GB", 2000],
    ] as const) {
      const cart = await createCart({ country });
      const { cart: priced } = await add(cart.id, "BEANIE-BLACK", 1);
      expect(priced.tax).toMatchObject({
        status: "calculated",
        inclusive: true,
        breakdown: [{ rateBasisPoints: rate }],
      });
      expect(priced.tax.amount).toBeGreaterThan(0);
    }
  });
});
