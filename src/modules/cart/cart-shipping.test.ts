import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { shippingOptions, shippingRates, shippingZoneCountries, shippingZones, taxRules } from "../../db/schema";
import { newId } from "../../platform/ids";
import { postCheckout, readyCartOverHttp } from "../checkout/checkout.fixtures";
import type { CartView, ShippingQuoteView } from "./cart.schemas";

type Problem = { status: number; errors?: { path: string }[]; blockers?: string[]; detail?: string };

/** Countries this file gave a zone of its own; given back at the end, since test files share the database. */
const zonedCountries = new Set<string>();

/**
 * A zone of its own for `country`: Standard (weight bands, free above 100 €) and Express (flat, up to 2 kg).
 * It takes the country over from any zone an earlier test file gave it.
 */
async function zoneFor(country: string) {
  zonedCountries.add(country);
  const db = cartDb();
  const zoneId = newId("shz");
  const standard = newId("shpo");
  const express = newId("shpo");
  await db.batch([
    db.delete(shippingZoneCountries).where(eq(shippingZoneCountries.country, country)),
    db.insert(shippingZones).values({ id: zoneId, name: `Zone ${country}`, createdAt: 0, updatedAt: 0 }),
    db.insert(shippingZoneCountries).values({ country, zoneId }),
    db.insert(shippingOptions).values([
      { id: standard, zoneId, name: "Standard", estimatedDays: 5, createdAt: 0, updatedAt: 0 },
      { id: express, zoneId, name: "Express", estimatedDays: 1, createdAt: 0, updatedAt: 0 },
    ]),
    db.insert(shippingRates).values([
      {
        id: newId("shr"),
        optionId: standard,
        currency: "EUR",
        minWeightGrams: 0,
        maxWeightGrams: 1000,
        amount: 400,
        freeAboveAmount: 10_000,
      },
      {
        id: newId("shr"),
        optionId: standard,
        currency: "EUR",
        minWeightGrams: 1000,
        maxWeightGrams: null,
        amount: 900,
        freeAboveAmount: 10_000,
      },
      {
        id: newId("shr"),
        optionId: express,
        currency: "EUR",
        minWeightGrams: 0,
        maxWeightGrams: 2000,
        amount: 1500,
        freeAboveAmount: null,
      },
    ]),
  ]);
  return { standard, express };
}

async function cartIn(country: string, grams = 500, eur = 2000) {
  const sku = await createSellableSku({ eur, weightGrams: grams });
  const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country } })).body;
  await callJson(`/v1/carts/${cart.id}/items`, { method: "POST", body: { sku, quantity: 1 } });
  return { cartId: cart.id, sku };
}

const choose = (cartId: string, shippingOptionId: string | null) =>
  callJson<CartView & Problem>(`/v1/carts/${cartId}`, { method: "PATCH", body: { shippingOptionId } });

beforeAll(ensurePricingRules);
afterAll(async () => {
  await cartDb()
    .delete(shippingZoneCountries)
    .where(inArray(shippingZoneCountries.country, [...zonedCountries]))
    .run();
});

describe("shipping options of a cart", () => {
  it("lists what fits the destination, weight and subtotal, cheapest first, and applies the cheapest", async () => {
    const { standard, express } = await zoneFor("DE");
    const { cartId } = await cartIn("DE");
    const { status, body } = await callJson<{ data: ShippingQuoteView[] }>(`/v1/carts/${cartId}/shipping-options`);
    expect(status).toBe(200);
    expect(body.data).toEqual([
      { id: standard, name: "Standard", amount: { amount: 400, currency: "EUR" }, estimatedDays: 5 },
      { id: express, name: "Express", amount: { amount: 1500, currency: "EUR" }, estimatedDays: 1 },
    ]);
    const cart = (await callJson<CartView>(`/v1/carts/${cartId}`)).body;
    expect(cart).toMatchObject({ shippingOptionId: null, shippingOption: { id: standard }, shipping: { amount: 400 } });
  });

  it("is free above the option's threshold", async () => {
    const { standard } = await zoneFor("AT");
    const { cartId } = await cartIn("AT", 500, 12_000);
    const { body } = await callJson<{ data: ShippingQuoteView[] }>(`/v1/carts/${cartId}/shipping-options`);
    expect(body.data.find((option) => option.id === standard)?.amount.amount).toBe(0);
  });

  it("answers no options for a cart without a country", async () => {
    const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: {} })).body;
    expect((await callJson<{ data: unknown[] }>(`/v1/carts/${cart.id}/shipping-options`)).body.data).toEqual([]);
  });

  it("applies the chosen option, and null goes back to the cheapest", async () => {
    const { standard, express } = await zoneFor("NL");
    const { cartId } = await cartIn("NL");
    const chosen = await choose(cartId, express);
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({
      shippingOptionId: express,
      shippingOption: { id: express },
      shipping: { amount: 1500 },
      total: { amount: 3500 },
    });
    expect((await choose(cartId, null)).body).toMatchObject({
      shippingOptionId: null,
      shippingOption: { id: standard },
    });
  });

  it("refuses an option id from another zone, or unknown (422)", async () => {
    const other = await zoneFor("BE");
    await zoneFor("LU");
    const { cartId } = await cartIn("LU");
    const foreign = await choose(cartId, other.express);
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors?.[0]?.path).toBe("shippingOptionId");
    expect((await choose(cartId, "shpo_nope")).status).toBe(422);
  });

  it("refuses a malformed option id (400)", async () => {
    const { cartId } = await cartIn("ES");
    expect((await choose(cartId, "x".repeat(65))).status).toBe(400);
    expect((await callJson(`/v1/carts/${cartId}`, { method: "PATCH", body: { shippingOptionId: 7 } })).status).toBe(
      400,
    );
  });

  it("blocks checkout with a clear reason when the chosen option stops fitting, instead of swapping it", async () => {
    const { express } = await zoneFor("DK");
    await cartDb()
      .insert(taxRules)
      .values({ id: newId("tax"), country: "DK", name: "Moms", rateBasisPoints: 2500, inclusive: true });
    const sku = await createSellableSku({ weightGrams: 1500 });
    const cartId = await readyCartOverHttp([{ sku, quantity: 1 }], {
      address: { country: "DK", postalCode: "1050", city: "København", line1: "Kongens Nytorv 1" },
    });
    expect((await choose(cartId, express)).status).toBe(200);
    const heavier = await callJson<CartView>(`/v1/carts/${cartId}/items/${sku}`, {
      method: "PATCH",
      body: { quantity: 2 },
    });
    expect(heavier.body).toMatchObject({ shippingOptionId: express, shippingOption: null, readyForCheckout: false });
    expect(heavier.body.blockers).toEqual(["shipping_option_unavailable"]);
    const refused = await postCheckout(cartId);
    expect(refused.status).toBe(422);
    expect(refused.body.blockers).toEqual(["shipping_option_unavailable"]);
    expect(refused.body.detail).toContain("shipping option no longer fits");
  });
});

describe("tax coverage", () => {
  it("blocks a destination without a tax rule (pending, not a silent zero)", async () => {
    const { cartId } = await cartIn("IT");
    const { body } = await callJson<CartView>(`/v1/carts/${cartId}`);
    expect(body.tax).toMatchObject({ amount: 0, status: "pending" });
    expect(body.blockers).toEqual(["tax_rule_missing"]);
    expect(body.readyForCheckout).toBe(false);
  });
});
