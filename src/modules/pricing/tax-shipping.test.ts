import { describe, expect, it } from "vitest";
import { line, SHIPPING_OPTIONS, TAX_RULES } from "./pricing.fixtures";
import { findShippingRate, quoteShippingOptions, selectShipping } from "./shipping";
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
    const rules = [
      ...TAX_RULES,
      { name: "IGIC", country: "ES", region: "CN", rateBasisPoints: 700, inclusive: true, appliesToShipping: true },
    ];
    const resolution = resolveTaxRule({ country: "ES", region: "CN" }, rules);
    expect(resolution.status === "rule" && resolution.rule.name).toBe("IGIC");
  });

  it("is pending without a country, or without a region where every rule is regional", () => {
    expect(resolveTaxRule({ country: null, region: null }, TAX_RULES)).toEqual({
      status: "pending",
      reason: "country_required",
    });
    expect(resolveTaxRule({ country: "US", region: null }, TAX_RULES)).toEqual({
      status: "pending",
      reason: "region_required",
    });
  });

  it("is pending (tax_rule_missing), never a silent zero, where no rule exists", () => {
    expect(resolveTaxRule({ country: "GB", region: null }, TAX_RULES)).toEqual({
      status: "pending",
      reason: "tax_rule_missing",
    });
    expect(resolveTaxRule({ country: "US", region: "OR" }, TAX_RULES)).toEqual({
      status: "pending",
      reason: "tax_rule_missing",
    });
  });

  it("treats a 0 bp rule as the merchant marking the destination tax-free", () => {
    const taxFree = {
      name: "Tax-free",
      country: "US",
      region: "OR",
      rateBasisPoints: 0,
      inclusive: false,
      appliesToShipping: false,
    };
    expect(resolveTaxRule({ country: "US", region: "OR" }, [...TAX_RULES, taxFree])).toEqual({
      status: "rule",
      rule: taxFree,
    });
  });

  it("knows which countries need a region", () => {
    expect(countryNeedsRegion("US", TAX_RULES)).toBe(true);
    expect(countryNeedsRegion("ES", TAX_RULES)).toBe(false);
    expect(countryNeedsRegion("GB", TAX_RULES)).toBe(false);
  });
});

describe("taxOf", () => {
  const [es, , , , ca] = TAX_RULES;
  it("takes the included part of a gross price (21 % of 121.00 gross is 21.00)", () =>
    expect(taxOf(12_100, es!)).toBe(2100));
  it("adds on top of a net price (7.25 % of 100.00 is 7.25)", () => expect(taxOf(10_000, ca!)).toBe(725));
});

describe("shipping", () => {
  const [standard] = SHIPPING_OPTIONS;
  it("picks the rate whose weight band holds the parcel, in the cart currency", () => {
    expect(findShippingRate(standard!.rates, "USD", 999)?.amount).toBe(799);
    expect(findShippingRate(standard!.rates, "USD", 1000)?.amount).toBe(1299);
    expect(findShippingRate(standard!.rates, "EUR", 50_000)?.amount).toBe(500);
    expect(findShippingRate(standard!.rates, "GBP", 100)).toBeUndefined();
  });

  it("is free from the threshold on, not below it", () => {
    expect(quoteShippingOptions([standard!], "EUR", 100, 4999)).toEqual([
      { id: "std", name: "Standard", amount: 500, estimatedDays: 5 },
    ]);
    expect(quoteShippingOptions([standard!], "EUR", 100, 5000)[0]?.amount).toBe(0);
  });

  it("leaves out options without a rate for the currency or weight", () => {
    expect(quoteShippingOptions(SHIPPING_OPTIONS, "USD", 100, 0).map((quote) => quote.id)).toEqual(["std"]);
    expect(quoteShippingOptions(SHIPPING_OPTIONS, "EUR", 5000, 0).map((quote) => quote.id)).toEqual(["std"]);
  });

  it("selects the cheapest without a choice, the choice while it fits, and reports one that does not", () => {
    const quotes = quoteShippingOptions(SHIPPING_OPTIONS, "EUR", 100, 0);
    expect(selectShipping(quotes, null)).toMatchObject({ status: "quoted", quote: { id: "std" } });
    expect(selectShipping(quotes, "exp")).toMatchObject({ status: "quoted", quote: { id: "exp" } });
    expect(selectShipping(quotes, "gone")).toEqual({ status: "choice_unavailable" });
    expect(selectShipping([], null)).toEqual({ status: "unavailable" });
    expect(line("X", 1, 1).weightGrams).toBe(100);
  });
});
