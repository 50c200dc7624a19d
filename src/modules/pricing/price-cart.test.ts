import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { line, SHIPPING_OPTIONS, TAX_RULES } from "./pricing.fixtures";
import type { DiscountInput, PricedTotals, PricingInput } from "./pricing.types";

const WELCOME10: DiscountInput = { code: "WELCOME10", kind: "percentage", percentBasisPoints: 1000, minSubtotal: 0 };
const ONE_EURO_OFF: DiscountInput = { code: "ONE", kind: "fixed", amount: 100, minSubtotal: 0 };

interface Case {
  name: string;
  input: Partial<PricingInput> & Pick<PricingInput, "lines">;
  expected: {
    subtotal: number;
    discount: number;
    shipping: number;
    tax: number;
    lineTaxes: number[];
    total: number;
    inclusive: boolean;
    status?: "calculated" | "pending";
  };
}

const eur = (country: string | null, region: string | null = null) => ({
  currency: "EUR",
  destination: { country, region },
});
const usd = (region: string | null) => ({ currency: "USD", destination: { country: "US", region } });

// Expected amounts were computed by hand with exact fractions and half-up rounding per line.
const cases: Case[] = [
  {
    name: "ES 21 % inclusive, free shipping above 50 €",
    input: { ...eur("ES"), lines: [line("TEE", 1999, 2), line("SWEATER", 8900, 1)] },
    expected: {
      subtotal: 12898,
      discount: 0,
      shipping: 0,
      tax: 2239,
      lineTaxes: [694, 1545],
      total: 12898,
      inclusive: true,
    },
  },
  {
    name: "DE 19 % inclusive, shipping taxed",
    input: { ...eur("DE"), lines: [line("TEE", 1999, 1)] },
    expected: {
      subtotal: 1999,
      discount: 0,
      shipping: 500,
      tax: 319 + 80,
      lineTaxes: [319],
      total: 2499,
      inclusive: true,
    },
  },
  {
    name: "FR 20 % inclusive",
    input: { ...eur("FR"), lines: [line("NOTEBOOK", 1299, 3)] },
    expected: {
      subtotal: 3897,
      discount: 0,
      shipping: 500,
      tax: 650 + 83,
      lineTaxes: [650],
      total: 4397,
      inclusive: true,
    },
  },
  {
    name: "PT 23 % inclusive with 10 % off: the discount reduces the gross and the tax follows",
    input: { ...eur("PT"), lines: [line("PAN", 4900, 1)], discount: WELCOME10 },
    expected: {
      subtotal: 4900,
      discount: 490,
      shipping: 500,
      tax: 825 + 93,
      lineTaxes: [825],
      total: 4910,
      inclusive: true,
    },
  },
  {
    name: "US-CA 7.25 % exclusive, shipping not taxed",
    input: { ...usd("CA"), lines: [line("TEE", 2199, 2, 180)] },
    expected: {
      subtotal: 4398,
      discount: 0,
      shipping: 799,
      tax: 319,
      lineTaxes: [319],
      total: 4398 + 799 + 319,
      inclusive: false,
    },
  },
  {
    name: "US-NY 4 % exclusive, shipping taxed",
    input: { ...usd("NY"), lines: [line("HEADLAMP", 4200, 1, 80)] },
    expected: {
      subtotal: 4200,
      discount: 0,
      shipping: 799,
      tax: 168 + 32,
      lineTaxes: [168],
      total: 5199,
      inclusive: false,
    },
  },
  {
    name: "US heavy parcel uses the next weight band",
    input: { ...usd("NY"), lines: [line("PAN", 5400, 1, 2600)] },
    expected: {
      subtotal: 5400,
      discount: 0,
      shipping: 1299,
      tax: 216 + 52,
      lineTaxes: [216],
      total: 5400 + 1299 + 268,
      inclusive: false,
    },
  },
  {
    name: "pending, not zero: a country without any rule (GB)",
    input: { ...eur("GB"), lines: [line("TEE", 1999, 1)] },
    expected: {
      subtotal: 1999,
      discount: 0,
      shipping: 500,
      tax: 0,
      lineTaxes: [0],
      total: 2499,
      inclusive: false,
      status: "pending",
    },
  },
  {
    name: "pending, not zero: a US state without a rule (OR)",
    input: { ...usd("OR"), lines: [line("TEE", 2199, 1)] },
    expected: {
      subtotal: 2199,
      discount: 0,
      shipping: 799,
      tax: 0,
      lineTaxes: [0],
      total: 2998,
      inclusive: false,
      status: "pending",
    },
  },
  {
    name: "zero-rated: an explicit 0 bp rule",
    input: {
      ...eur("ES"),
      taxRules: [
        { name: "IVA 0", country: "ES", region: "", rateBasisPoints: 0, inclusive: true, appliesToShipping: true },
      ],
      lines: [line("BOOK", 2499, 1)],
    },
    expected: { subtotal: 2499, discount: 0, shipping: 500, tax: 0, lineTaxes: [0], total: 2999, inclusive: true },
  },
  {
    name: "1-cent line, inclusive: 0.17 ¢ of VAT rounds to 0",
    input: { ...eur("ES"), lines: [line("PIN", 1, 1)] },
    expected: { subtotal: 1, discount: 0, shipping: 500, tax: 87, lineTaxes: [0], total: 501, inclusive: true },
  },
  {
    name: "1-cent line, exclusive: 0.0725 ¢ rounds to 0",
    input: { ...usd("CA"), lines: [line("PIN", 1, 1)] },
    expected: { subtotal: 1, discount: 0, shipping: 799, tax: 0, lineTaxes: [0], total: 800, inclusive: false },
  },
  {
    name: "an exact half cent (14.5 ¢) rounds up",
    input: { ...usd("CA"), lines: [line("CARD", 200, 1)] },
    expected: { subtotal: 200, discount: 0, shipping: 799, tax: 15, lineTaxes: [15], total: 1014, inclusive: false },
  },
  {
    name: "3 × 3.33 € with 1 € off: 34 + 33 + 33, the extra cent on the first largest line",
    input: { ...eur("ES"), lines: [line("A", 333, 1), line("B", 333, 1), line("C", 333, 1)], discount: ONE_EURO_OFF },
    expected: {
      subtotal: 999,
      discount: 100,
      shipping: 500,
      tax: 52 + 52 + 52 + 87,
      lineTaxes: [52, 52, 52],
      total: 1399,
      inclusive: true,
    },
  },
  {
    name: "3 × 3.33 $ exclusive: 72.43 ¢ rounds to 72",
    input: { ...usd("CA"), lines: [line("THIRD", 333, 3)] },
    expected: { subtotal: 999, discount: 0, shipping: 799, tax: 72, lineTaxes: [72], total: 1870, inclusive: false },
  },
  {
    name: "large order: 100 × 9,999.99 €, exact integer maths",
    input: { ...eur("DE"), lines: [line("BIG", 999_999, 100)] },
    expected: {
      subtotal: 99_999_900,
      discount: 0,
      shipping: 0,
      tax: 15_966_371,
      lineTaxes: [15_966_371],
      total: 99_999_900,
      inclusive: true,
    },
  },
  {
    name: "US without a state: tax pending (0), checkout must refuse",
    input: { ...usd(null), lines: [line("TEE", 2199, 1)] },
    expected: {
      subtotal: 2199,
      discount: 0,
      shipping: 799,
      tax: 0,
      lineTaxes: [0],
      total: 2998,
      inclusive: false,
      status: "pending",
    },
  },
  {
    name: "no country: tax and shipping pending",
    input: { ...eur(null), lines: [line("TEE", 1999, 1)] },
    expected: {
      subtotal: 1999,
      discount: 0,
      shipping: 0,
      tax: 0,
      lineTaxes: [0],
      total: 1999,
      inclusive: false,
      status: "pending",
    },
  },
];

function price(input: Case["input"]): PricedTotals {
  return priceCart({
    currency: "EUR",
    destination: { country: null, region: null },
    taxRules: TAX_RULES,
    shippingOptions: SHIPPING_OPTIONS,
    shippingOptionId: null,
    discount: null,
    ...input,
  });
}

describe("priceCart (table)", () => {
  it.each(cases)("$name", ({ input, expected }) => {
    const priced = price(input);
    expect(priced.subtotal).toBe(expected.subtotal);
    expect(priced.discount).toBe(expected.discount);
    expect(priced.shipping).toBe(expected.shipping);
    expect(priced.tax.amount).toBe(expected.tax);
    expect(priced.tax.inclusive).toBe(expected.inclusive);
    expect(priced.tax.status).toBe(expected.status ?? "calculated");
    expect(priced.lines.map((l) => l.tax)).toEqual(expected.lineTaxes);
    expect(priced.total).toBe(expected.total);
  });

  it.each(cases)("adds up to the cent: $name", ({ input }) => {
    const priced = price(input);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(priced.lines.map((l) => l.total))).toBe(priced.subtotal);
    expect(sum(priced.lines.map((l) => l.discount))).toBe(priced.discount);
    priced.lines.forEach((l) => expect(l.total).toBe(l.unitPrice * l.quantity));
    expect(priced.tax.amount).toBe(sum(priced.tax.breakdown.map((b) => b.amount)));
    expect(priced.total).toBe(
      priced.subtotal - priced.discount + priced.shipping + (priced.tax.inclusive ? 0 : priced.tax.amount),
    );
    for (const value of [priced.subtotal, priced.discount, priced.shipping, priced.tax.amount, priced.total])
      expect(Number.isSafeInteger(value)).toBe(true);
  });
});

describe("priceCart (rules)", () => {
  it("names the per-rate breakdown", () => {
    expect(price({ ...eur("ES"), lines: [line("TEE", 1999, 1)] }).tax.breakdown).toEqual([
      { name: "IVA", rateBasisPoints: 2100, amount: 434 },
    ]);
  });

  it("reports blockers instead of guessing", () => {
    expect(price({ ...usd(null), lines: [line("TEE", 2199, 1)] }).blockers).toEqual(["region_required"]);
    expect(price({ ...eur(null), lines: [line("TEE", 1999, 1)] }).blockers).toEqual(["country_required"]);
    expect(price({ ...eur("ES"), lines: [] }).blockers).toEqual(["empty_cart"]);
    expect(price({ ...eur("ES"), lines: [line("TEE", 1999, 1)] }).blockers).toEqual([]);
    expect(price({ ...eur("GB"), lines: [line("TEE", 1999, 1)] }).blockers).toEqual(["tax_rule_missing"]);
    expect(price({ ...eur("ES"), shippingOptions: [], lines: [line("TEE", 1999, 1)] }).blockers).toEqual([
      "shipping_unavailable",
    ]);
  });

  it("an empty cart costs nothing, shipping included", () => {
    const priced = price({ ...eur("ES"), lines: [] });
    expect([priced.subtotal, priced.shipping, priced.tax.amount, priced.total]).toEqual([0, 0, 0, 0]);
  });

  it("keeps a discount below its minimum at 0 with a notice", () => {
    const priced = price({
      ...eur("ES"),
      lines: [line("TEE", 1999, 1)],
      discount: { ...WELCOME10, minSubtotal: 2000 },
    });
    expect(priced.discount).toBe(0);
    expect(priced.notices).toEqual(["discount_below_minimum"]);
  });

  it("caps a fixed discount at the subtotal, leaving only shipping to pay", () => {
    const priced = price({
      ...eur("ES"),
      lines: [line("PIN", 300, 1)],
      discount: { code: "BIG", kind: "fixed", amount: 10_000, minSubtotal: 0 },
    });
    expect(priced.discount).toBe(300);
    expect(priced.lines[0]?.tax).toBe(0);
    expect(priced.total).toBe(500);
  });

  it("free shipping looks at the subtotal after the discount", () => {
    const priced = price({ ...eur("ES"), lines: [line("JACKET", 5000, 1)], discount: WELCOME10 });
    expect(priced.shipping).toBe(500);
    expect(price({ ...eur("ES"), lines: [line("JACKET", 5000, 1)] }).shipping).toBe(0);
  });

  it("refuses amounts beyond the safe integer range rather than losing cents", () => {
    expect(() => price({ ...eur("ES"), lines: [line("HUGE", Number.MAX_SAFE_INTEGER, 2)] })).toThrow(RangeError);
  });

  it("applies the cheapest option that fits until one is chosen, then the chosen one", () => {
    const cheapest = price({ ...eur("ES"), lines: [line("TEE", 1999, 1)] });
    expect(cheapest.shippingOptions.map((option) => [option.id, option.amount])).toEqual([
      ["std", 500],
      ["exp", 1500],
    ]);
    expect([cheapest.shippingOption?.id, cheapest.shipping]).toEqual(["std", 500]);
    const express = price({ ...eur("ES"), shippingOptionId: "exp", lines: [line("TEE", 1999, 1)] });
    expect([express.shippingOption?.id, express.shipping, express.total]).toEqual(["exp", 1500, 3499]);
  });

  it("blocks a chosen option that no longer fits instead of swapping it (here: too heavy for Express)", () => {
    const priced = price({ ...eur("ES"), shippingOptionId: "exp", lines: [line("PAN", 4900, 1, 2600)] });
    expect(priced.blockers).toEqual(["shipping_option_unavailable"]);
    expect([priced.shippingOption, priced.shipping]).toEqual([null, 0]);
    expect(priced.shippingOptions.map((option) => option.id)).toEqual(["std"]);
  });
});
