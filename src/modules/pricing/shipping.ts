/**
 * Shipping: the rate of the destination country (or the "*" rest-of-world rate) in the cart
 * currency whose weight band holds the parcel; free once subtotal − discount reaches the rate's
 * threshold. A flat rate is a single band 0..∞.
 */
import type { ShippingRate } from "./pricing.types";

export type ShippingQuote = { status: "quoted"; amount: number; rate: ShippingRate } | { status: "unavailable" };

function bandHolds(rate: ShippingRate, weightGrams: number): boolean {
  return weightGrams >= rate.minWeightGrams && (rate.maxWeightGrams === null || weightGrams < rate.maxWeightGrams);
}

export function findShippingRate(rates: readonly ShippingRate[], country: string, currency: string, weightGrams: number): ShippingRate | undefined {
  const candidates = rates.filter((rate) => rate.currency === currency && bandHolds(rate, weightGrams));
  return candidates.find((rate) => rate.country === country) ?? candidates.find((rate) => rate.country === "*");
}

export function quoteShipping(rates: readonly ShippingRate[], country: string, currency: string, weightGrams: number, discountedSubtotal: number): ShippingQuote {
  const rate = findShippingRate(rates, country, currency, weightGrams);
  if (!rate) return { status: "unavailable" };
  const free = rate.freeAboveAmount !== null && discountedSubtotal >= rate.freeAboveAmount;
  return { status: "quoted", amount: free ? 0 : rate.amount, rate };
}
