// Demo pricing data `npm start` loads next to the catalog: shipping zones with their options
// (Standard with weight bands and free shipping above a threshold, Express flat and faster, a
// rest-of-world International rate) and a few discount codes to try.
// Amounts are integer minor units; `freeAbove` compares with subtotal − discount.

const EU_CORE = ["ES", "PT", "FR", "DE"];
const EU_REST = [
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "RO",
  "SK",
  "SI",
  "SE",
  "GB",
];

// a rate is [currency, minGrams, maxGrams|null, amount, freeAbove|null]
const zones = [
  {
    id: "shz_eu_core",
    name: "Spain, Portugal, France, Germany",
    countries: EU_CORE,
    options: [
      {
        key: "standard",
        name: "Standard",
        estimatedDays: 4,
        rates: [
          ["EUR", 0, 1000, 495, 5000],
          ["EUR", 1000, 5000, 895, 5000],
          ["EUR", 5000, null, 1495, 5000],
          ["USD", 0, 1000, 549, 5500],
          ["USD", 1000, 5000, 999, 5500],
          ["USD", 5000, null, 1649, 5500],
        ],
      },
      {
        key: "express",
        name: "Express",
        estimatedDays: 1,
        rates: [
          ["EUR", 0, 5000, 1295, null],
          ["EUR", 5000, null, 1995, null],
          ["USD", 0, 5000, 1395, null],
          ["USD", 5000, null, 2195, null],
        ],
      },
    ],
  },
  {
    id: "shz_eu",
    name: "Rest of the EU and the UK",
    countries: EU_REST,
    options: [
      {
        key: "standard",
        name: "Standard",
        estimatedDays: 6,
        rates: [
          ["EUR", 0, null, 995, 10000],
          ["USD", 0, null, 1095, 11000],
        ],
      },
      {
        key: "express",
        name: "Express",
        estimatedDays: 2,
        rates: [
          ["EUR", 0, null, 2495, null],
          ["USD", 0, null, 2695, null],
        ],
      },
    ],
  },
  {
    id: "shz_us",
    name: "United States",
    countries: ["US"],
    options: [
      {
        key: "standard",
        name: "Standard",
        estimatedDays: 5,
        rates: [
          ["EUR", 0, 1000, 699, 9000],
          ["EUR", 1000, null, 1199, 9000],
          ["USD", 0, 1000, 799, 10000],
          ["USD", 1000, null, 1299, 10000],
        ],
      },
      {
        key: "express",
        name: "Express",
        estimatedDays: 2,
        rates: [
          ["EUR", 0, null, 1899, null],
          ["USD", 0, null, 1999, null],
        ],
      },
    ],
  },
  {
    id: "shz_world",
    name: "Rest of the world",
    countries: ["*"],
    options: [
      {
        key: "international",
        name: "International",
        estimatedDays: 10,
        rates: [
          ["EUR", 0, null, 1995, null],
          ["USD", 0, null, 2195, null],
        ],
      },
    ],
  },
];

const optionId = (zone, option) => `shpo_${zone.id.slice(4)}_${option.key}`;

export const shippingZones = zones.map(({ id, name }) => ({ id, name }));
export const shippingZoneCountries = zones.flatMap((zone) =>
  zone.countries.map((country) => ({ country, zoneId: zone.id })),
);
export const shippingOptions = zones.flatMap((zone) =>
  zone.options.map((option) => ({
    id: optionId(zone, option),
    zoneId: zone.id,
    name: option.name,
    estimatedDays: option.estimatedDays,
  })),
);
export const shippingRates = zones.flatMap((zone) =>
  zone.options.flatMap((option) =>
    option.rates.map(([currency, minWeightGrams, maxWeightGrams, amount, freeAboveAmount], band) => ({
      id: `${optionId(zone, option).replace("shpo_", "shr_")}_${currency.toLowerCase()}_${band}`,
      optionId: optionId(zone, option),
      currency,
      minWeightGrams,
      maxWeightGrams,
      amount,
      freeAboveAmount,
    })),
  ),
);

export const discountCodes = [
  {
    code: "WELCOME10",
    kind: "percentage",
    percentBasisPoints: 1000,
    amount: null,
    currency: null,
    minSubtotal: 0,
    usageLimit: null,
  },
  {
    code: "SAVE5",
    kind: "fixed",
    percentBasisPoints: null,
    amount: 500,
    currency: "EUR",
    minSubtotal: 3000,
    usageLimit: null,
  },
  {
    code: "SAVE5USD",
    kind: "fixed",
    percentBasisPoints: null,
    amount: 500,
    currency: "USD",
    minSubtotal: 3000,
    usageLimit: null,
  },
  {
    code: "FIRST100",
    kind: "percentage",
    percentBasisPoints: 2000,
    amount: null,
    currency: null,
    minSubtotal: 0,
    usageLimit: 100,
  },
];
