import { describe, expect, it } from "vitest";
import { line, SHIPPING_RATES, TAX_RULES } from "./pricing.fixtures";
import { findShippingRate, quoteShipping } from "./shipping";
import { countryNeedsRegion, resolveTaxRule, taxOf } from "./tax";

describe("resolveTaxRule", () => {
  it.each([
    { country: "ES", region: null, expected: "IVA" },
    { country: "ES", region: "CN", expected: "IVA" }, // a region without its own rule falls back to the country rule
    { country: "US", region: "CA", expected: "California sales tax" },
    { country: "US", region: "NY", expected: "New York sales tax" },
  ])("$country-$region → $expected", ({ country, region, expected }) => {
    const resolution = resolveTaxRule({ country, region }, TAX_RULES);
    expect(resolution.status === "rule" && resolution.rule.name).toBe(expected);
  });

  it("prefers a regional rule over the country-wide one", () => {
    const rules = [...TAX_RULES, { name: "IGIC", country: "ES", region: "CN", rateBasisPoints: 700, inclusive: true, appliesToShipping: true }];
    const resolution = resolveTaxRule({ country: "ES", region: "CN" }, rules);
    expect(resolution.status === "rule" && resolution.rule.name).toBe("IGIC");
  });

  it("is pending without a country, or without a region where every rule is regional", () => {
    expect(resolveTaxRule({ country: null, region: null }, TAX_RULES)).toEqual({ status: "pending", reason: "country_required" });
    expect(resolveTaxRule({ country: "US", region: null }, TAX_RULES)).toEqual({ status: "pending", reason: "region_required" });
  });

  it("is untaxed where no rule exists", () => {
    expect(resolveTaxRule({ country: "GB", region: null }, TAX_RULES)).toEqual({ status: "untaxed" });
    expect(resolveTaxRule({ country: "US", region: "OR" }, TAX_RULES)).toEqual({ status: "untaxed" });
  });

  it("knows which countries need a region", () => {
    expect(countryNeedsRegion("US", TAX_RULES)).toBe(true);
    expect(countryNeedsRegion("ES", TAX_RULES)).toBe(false);
    expect(countryNeedsRegion("GB", TAX_RULES)).toBe(false);
  });
});

describe("taxOf", () => {
  const [es, , , , ca] = TAX_RULES;
  it("takes the included part of a gross price (21 % of 121.00 gross is 21.00)", () => expect(taxOf(12_100, es!)).toBe(2100));
  it("adds on top of a net price (7.25 % of 100.00 is 7.25)", () => expect(taxOf(10_000, ca!)).toBe(725));
});

describe("shipping", () => {
  it("picks the country's weight band, else the rest-of-world rate, in the cart currency", () => {
    expect(findShippingRate(SHIPPING_RATES, "US", "USD", 999)?.name).toBe("US light");
    expect(findShippingRate(SHIPPING_RATES, "US", "USD", 1000)?.name).toBe("US heavy");
    expect(findShippingRate(SHIPPING_RATES, "FR", "EUR", 50_000)?.name).toBe("Europe");
    expect(findShippingRate(SHIPPING_RATES, "FR", "USD", 100)).toBeUndefined();
  });

  it("is free from the threshold on, not below it", () => {
    expect(quoteShipping(SHIPPING_RATES, "ES", "EUR", 100, 4999)).toMatchObject({ status: "quoted", amount: 500 });
    expect(quoteShipping(SHIPPING_RATES, "ES", "EUR", 100, 5000)).toMatchObject({ status: "quoted", amount: 0 });
  });

  it("is unavailable when no rate matches", () => {
    expect(quoteShipping([], "ES", "EUR", 100, 0)).toEqual({ status: "unavailable" });
    expect(line("X", 1, 1).weightGrams).toBe(100);
  });
});
