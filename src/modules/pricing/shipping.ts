/**
 * Shipping: the options of the destination's zone (the caller loads only those), each priced by
 * its rate in the cart currency whose weight band holds the parcel, free once subtotal − discount
 * reaches the rate's threshold. An option without such a rate does not fit this cart. The buyer's
 * chosen option applies while it fits; until one is chosen the cheapest applies. A choice that no
 * longer fits is reported (blocker), never silently swapped for another option.
 */
import type { ShippingOptionInput, ShippingQuote, ShippingRate } from "./pricing.types";

function bandHolds(rate: ShippingRate, weightGrams: number): boolean {
  return weightGrams >= rate.minWeightGrams && (rate.maxWeightGrams === null || weightGrams < rate.maxWeightGrams);
}

export function findShippingRate(
  rates: readonly ShippingRate[],
  currency: string,
  weightGrams: number,
): ShippingRate | undefined {
  return rates.find((rate) => rate.currency === currency && bandHolds(rate, weightGrams));
}

/** Every option that fits, cheapest first (then fastest, then by name and id: a stable order). */
export function quoteShippingOptions(
  options: readonly ShippingOptionInput[],
  currency: string,
  weightGrams: number,
  discountedSubtotal: number,
): ShippingQuote[] {
  const quotes: ShippingQuote[] = [];
  for (const option of options) {
    const rate = findShippingRate(option.rates, currency, weightGrams);
    if (!rate) continue;
    const free = rate.freeAboveAmount !== null && discountedSubtotal >= rate.freeAboveAmount;
    quotes.push({
      id: option.id,
      name: option.name,
      amount: free ? 0 : rate.amount,
      estimatedDays: option.estimatedDays,
    });
  }
  return quotes.sort(
    (a, b) =>
      a.amount - b.amount ||
      a.estimatedDays - b.estimatedDays ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
}

export type ShippingSelection =
  | { status: "quoted"; quote: ShippingQuote }
  /** Nothing fits (no option for the zone, currency or weight). */
  | { status: "unavailable" }
  /** The buyer's chosen option does not fit any more (other zone, weight band, deactivated). */
  | { status: "choice_unavailable" };

export function selectShipping(quotes: readonly ShippingQuote[], chosenId: string | null): ShippingSelection {
  if (chosenId !== null) {
    const chosen = quotes.find((quote) => quote.id === chosenId);
    return chosen ? { status: "quoted", quote: chosen } : { status: "choice_unavailable" };
  }
  const cheapest = quotes[0];
  return cheapest ? { status: "quoted", quote: cheapest } : { status: "unavailable" };
}
