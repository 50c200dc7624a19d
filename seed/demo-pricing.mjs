// Demo pricing data `npm start` loads next to the catalog: shipping rates (weight bands per zone,
// free above a threshold, a flat rest-of-world rate) and a few discount codes to try.
// Amounts are integer minor units; `freeAbove` compares with subtotal − discount.

const zones = [
  // [country, EUR bands, USD bands, free above (EUR, USD)]; a band is [minGrams, maxGrams|null, amount]
  ...["ES", "PT", "FR", "DE"].map((country) => [country, [[0, 1000, 495], [1000, 5000, 895], [5000, null, 1495]], [[0, 1000, 549], [1000, 5000, 999], [5000, null, 1649]], [5000, 5500]]),
  ["US", [[0, 1000, 699], [1000, null, 1199]], [[0, 1000, 799], [1000, null, 1299]], [9000, 10000]],
  ["*", [[0, null, 1995]], [[0, null, 2195]], [null, null]],
];

export const shippingRates = zones.flatMap(([country, eurBands, usdBands, [freeEur, freeUsd]]) =>
  [["EUR", eurBands, freeEur], ["USD", usdBands, freeUsd]].flatMap(([currency, bands, freeAbove]) =>
    bands.map(([minWeightGrams, maxWeightGrams, amount], band) => ({
      id: `shp_${country === "*" ? "world" : country.toLowerCase()}_${currency.toLowerCase()}_${band}`,
      name: country === "*" ? "International" : `Standard ${country}`,
      country, currency, minWeightGrams, maxWeightGrams, amount, freeAboveAmount: freeAbove,
    })),
  ),
);

export const discountCodes = [
  { code: "WELCOME10", kind: "percentage", percentBasisPoints: 1000, amount: null, currency: null, minSubtotal: 0, usageLimit: null },
  { code: "SAVE5", kind: "fixed", percentBasisPoints: null, amount: 500, currency: "EUR", minSubtotal: 3000, usageLimit: null },
  { code: "SAVE5USD", kind: "fixed", percentBasisPoints: null, amount: 500, currency: "USD", minSubtotal: 3000, usageLimit: null },
  { code: "FIRST100", kind: "percentage", percentBasisPoints: 2000, amount: null, currency: null, minSubtotal: 0, usageLimit: 100 },
];
