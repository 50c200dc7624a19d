import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { cartDb, createSellableSku, ensurePricingRules } from "../../../test/helpers/cart";
import { auditLog, taxRules } from "../../db/schema";
import { newId } from "../../platform/ids";
import type { CartView } from "../cart/cart.schemas";
import type { OptionView, ZoneView } from "./shipping.schemas";

type Problem = { status: number; errors?: { path: string }[]; countries?: string[] };

let admin: TestUser;
beforeAll(async () => {
  await ensurePricingRules();
  admin = await createUser("admin");
});

const api = <T>(path: string, method = "GET", body?: object) =>
  callJson<T & Problem>(`/v1/admin/shipping-options${path}`, { method, body, token: admin.token });
const zone = (countries: string[], name = "Zone") => api<ZoneView>("/zones", "POST", { name, countries });
const flat = (currency: string, amount: number, freeAboveAmount: number | null = null) => ({
  currency,
  minWeightGrams: 0,
  maxWeightGrams: null,
  amount,
  freeAboveAmount,
});
const option = (zoneId: string, name: string, rates: object[], estimatedDays = 3) =>
  api<OptionView>("", "POST", { zoneId, name, estimatedDays, rates });

async function cartIn(country: string) {
  await cartDb()
    .insert(taxRules)
    .values({ id: newId("tax"), country, name: "VAT", rateBasisPoints: 2000, inclusive: true })
    .onConflictDoNothing();
  const cart = (await callJson<CartView>("/v1/carts", { method: "POST", body: { country } })).body;
  await callJson(`/v1/carts/${cart.id}/items`, {
    method: "POST",
    body: { sku: await createSellableSku({ eur: 2000, weightGrams: 800 }), quantity: 1 },
  });
  return cart.id;
}

describe("admin shipping zones", () => {
  it("creates, lists, renames and re-draws a zone, audited", async () => {
    const created = await zone(["CZ", "SK"], "Czechoslovakia");
    expect(created.status).toBe(201);
    expect((await api<{ data: ZoneView[] }>("/zones")).body.data).toContainEqual({
      id: created.body.id,
      name: "Czechoslovakia",
      countries: ["CZ", "SK"],
    });
    const patched = await api<ZoneView>(`/zones/${created.body.id}`, "PATCH", {
      name: "CZ+SK+HU",
      countries: ["CZ", "SK", "HU"],
    });
    expect(patched.body).toMatchObject({ name: "CZ+SK+HU", countries: ["CZ", "SK", "HU"] });
    const actions = (await cartDb().select().from(auditLog).where(eq(auditLog.subject, created.body.id)))
      .map((row) => row.action)
      .sort();
    expect(actions).toEqual(["shipping.zone.created", "shipping.zone.updated"]);
  });

  it("refuses a country that another zone already has (409 naming it)", async () => {
    await zone(["PL"]);
    const taken = await zone(["PL", "LT"]);
    expect(taken.status).toBe(409);
    expect(taken.body.countries).toEqual(["PL"]);
  });

  it.each([
    ["an unknown country", { name: "Z", countries: ["XX"] }],
    ["a duplicate country", { name: "Z", countries: ["RO", "RO"] }],
    ["no country", { name: "Z", countries: [] }],
    ["an empty name", { name: " ", countries: ["BG"] }],
  ])("refuses %s (400)", async (_name, body) => {
    expect((await api("/zones", "POST", body)).status).toBe(400);
  });

  it("deletes a zone only once it has no options (409 before)", async () => {
    const created = await zone(["SI"]);
    const made = await option(created.body.id, "Standard", [flat("EUR", 500)]);
    expect((await api(`/zones/${created.body.id}`, "DELETE")).status).toBe(409);
    expect((await api(`/${made.body.id}`, "DELETE")).status).toBe(204);
    expect((await api(`/zones/${created.body.id}`, "DELETE")).status).toBe(204);
    expect((await api(`/zones/${created.body.id}`, "DELETE")).status).toBe(404);
  });
});

describe("admin shipping options", () => {
  it("options and rates (flat, weight bands, free above) are what the next cart reader sees", async () => {
    const created = await zone(["IE"]);
    const cartId = await cartIn("IE");
    expect((await callJson<CartView>(`/v1/carts/${cartId}`)).body.blockers).toEqual(["shipping_unavailable"]);
    const standard = await option(
      created.body.id,
      "Standard",
      [
        { currency: "EUR", minWeightGrams: 0, maxWeightGrams: 500, amount: 300, freeAboveAmount: 5000 },
        { currency: "EUR", minWeightGrams: 500, maxWeightGrams: null, amount: 700, freeAboveAmount: 5000 },
      ],
      5,
    );
    expect(standard.status).toBe(201);
    expect(standard.body.rates).toHaveLength(2);
    const express = await option(created.body.id, "Express", [flat("EUR", 1800)], 1);
    const quotes = (
      await callJson<{ data: { id: string; amount: { amount: number } }[] }>(`/v1/carts/${cartId}/shipping-options`)
    ).body.data;
    expect(quotes.map((quote) => [quote.id, quote.amount.amount])).toEqual([
      [standard.body.id, 700],
      [express.body.id, 1800],
    ]);
    expect((await api<OptionView>(`/${standard.body.id}`, "PATCH", { rates: [flat("EUR", 250, 1000)] })).status).toBe(
      200,
    );
    expect((await callJson<CartView>(`/v1/carts/${cartId}`)).body.shipping.amount).toBe(0);
  });

  it("withdrawing the option a buyer chose blocks that cart with a reason instead of swapping", async () => {
    const created = await zone(["GR"]);
    const standard = await option(created.body.id, "Standard", [flat("EUR", 500)]);
    const express = await option(created.body.id, "Express", [flat("EUR", 1500)]);
    const cartId = await cartIn("GR");
    expect(
      (await callJson(`/v1/carts/${cartId}`, { method: "PATCH", body: { shippingOptionId: express.body.id } })).status,
    ).toBe(200);
    expect((await api<OptionView>(`/${express.body.id}`, "PATCH", { active: false })).body.active).toBe(false);
    const cart = (await callJson<CartView>(`/v1/carts/${cartId}`)).body;
    expect(cart).toMatchObject({
      shippingOptionId: express.body.id,
      shippingOption: null,
      blockers: ["shipping_option_unavailable"],
    });
    expect(
      (
        await callJson<CartView>(`/v1/carts/${cartId}`, {
          method: "PATCH",
          body: { shippingOptionId: standard.body.id },
        })
      ).body.blockers,
    ).toEqual([]);
  });

  it("lists options of a zone and reads one; unknown ids are 404", async () => {
    const created = await zone(["CY"]);
    const made = await option(created.body.id, "Standard", [flat("EUR", 900), flat("USD", 1000)]);
    expect(
      (await api<{ data: OptionView[] }>(`?zoneId=${created.body.id}`)).body.data.map((entry) => entry.id),
    ).toEqual([made.body.id]);
    expect((await api<OptionView>(`/${made.body.id}`)).body).toMatchObject({
      zoneId: created.body.id,
      rates: [
        { currency: "EUR", amount: 900 },
        { currency: "USD", amount: 1000 },
      ],
    });
    expect((await api("/shpo_nope")).status).toBe(404);
    expect((await api("/shpo_nope", "PATCH", { active: false })).status).toBe(404);
  });

  it("refuses an option for an unknown zone (422)", async () => {
    expect((await option("shz_nope", "Standard", [flat("EUR", 500)])).status).toBe(422);
  });

  it.each([
    [
      "overlapping bands",
      [
        { currency: "EUR", minWeightGrams: 0, maxWeightGrams: 1000, amount: 1 },
        { currency: "EUR", minWeightGrams: 500, maxWeightGrams: null, amount: 2 },
      ],
      "rates.1",
    ],
    [
      "a band that ends before it starts",
      [{ currency: "EUR", minWeightGrams: 1000, maxWeightGrams: 500, amount: 1 }],
      "rates.0.maxWeightGrams",
    ],
    ["a negative amount", [flat("EUR", -1)], "rates.0.amount"],
    ["an unknown currency", [flat("GBP", 100)], "rates.0.currency"],
    ["no rate", [], "rates"],
  ])("refuses %s (400, before looking at the zone)", async (_name, rates, path) => {
    const { status, body } = await option("shz_any", "Standard", rates);
    expect(status).toBe(400);
    expect(body.errors?.map((error) => error.path)).toContain(path);
  });

  it("is for admins: staff get 403", async () => {
    const staff = await createUser("staff");
    expect((await callJson("/v1/admin/shipping-options", { token: staff.token })).status).toBe(403);
    expect(
      (
        await callJson("/v1/admin/shipping-options/zones", {
          method: "POST",
          body: { name: "Z", countries: ["FI"] },
          token: staff.token,
        })
      ).status,
    ).toBe(403);
  });
});
