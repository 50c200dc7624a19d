/** Test data shared by the pricing tests: the seeded tax rules and a small set of shipping rates. */
import type { PricingLineInput, ShippingOptionInput, TaxRule } from "./pricing.types";

export const TAX_RULES: TaxRule[] = [
  { name: "IVA", country: "ES", region: "", rateBasisPoints: 2100, inclusive: true, appliesToShipping: true },
  { name: "MwSt", country: "DE", region: "", rateBasisPoints: 1900, inclusive: true, appliesToShipping: true },
  { name: "TVA", country: "FR", region: "", rateBasisPoints: 2000, inclusive: true, appliesToShipping: true },
  { name: "IVA", country: "PT", region: "", rateBasisPoints: 2300, inclusive: true, appliesToShipping: true },
  {
    name: "California sales tax",
    country: "US",
    region: "CA",
    rateBasisPoints: 725,
    inclusive: false,
    appliesToShipping: false,
  },
  {
    name: "New York sales tax",
    country: "US",
    region: "NY",
    rateBasisPoints: 400,
    inclusive: false,
    appliesToShipping: true,
  },
];

/** One zone's options: Standard in both currencies (US weight bands), Express flat and dearer. */
export const SHIPPING_OPTIONS: ShippingOptionInput[] = [
  {
    id: "std",
    name: "Standard",
    estimatedDays: 5,
    rates: [
      { currency: "EUR", minWeightGrams: 0, maxWeightGrams: null, amount: 500, freeAboveAmount: 5000 },
      { currency: "USD", minWeightGrams: 0, maxWeightGrams: 1000, amount: 799, freeAboveAmount: 10000 },
      { currency: "USD", minWeightGrams: 1000, maxWeightGrams: null, amount: 1299, freeAboveAmount: 10000 },
    ],
  },
  {
    id: "exp",
    name: "Express",
    estimatedDays: 2,
    rates: [{ currency: "EUR", minWeightGrams: 0, maxWeightGrams: 2000, amount: 1500, freeAboveAmount: null }],
  },
];

export function line(sku: string, unitPrice: number, quantity: number, weightGrams = 100): PricingLineInput {
  return { sku, title: `Title of ${sku}`, quantity, unitPrice, weightGrams };
}
