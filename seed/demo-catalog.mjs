// The demo data `npm start` loads into the local D1: 8 categories (Apparel has two children),
// 24 products with variants, EUR and USD prices, stock, VAT for the EU-27 and the UK, sales tax
// for two US states and tax-free (0 bp) rules for the US states without sales tax.
// Ids are fixed so the seed is idempotent (INSERT … ON CONFLICT DO NOTHING).

export const categories = [
  { id: "cat_apparel", slug: "apparel", name: "Apparel" },
  { id: "cat_footwear", slug: "footwear", name: "Footwear" },
  { id: "cat_accessories", slug: "accessories", name: "Accessories" },
  { id: "cat_home", slug: "home", name: "Home & Kitchen" },
  { id: "cat_outdoor", slug: "outdoor", name: "Outdoor" },
  { id: "cat_books", slug: "books", name: "Books" },
  { id: "cat_tshirts", slug: "t-shirts", name: "T-shirts", parentId: "cat_apparel" },
  { id: "cat_hoodies", slug: "hoodies", name: "Hoodies", parentId: "cat_apparel" },
];

// [slug, title, category, EUR cents, USD cents, grams, variant axis, variant values]
const rows = [
  ["classic-tee", "Classic Cotton Tee", "tshirts", 1999, 2199, 180, "size", ["S", "M", "L", "XL"]],
  ["merino-sweater", "Merino Crew Sweater", "apparel", 8900, 9500, 350, "size", ["S", "M", "L"]],
  ["rain-jacket", "Packable Rain Jacket", "apparel", 12900, 13900, 420, "size", ["M", "L"]],
  ["linen-shirt", "Linen Summer Shirt", "apparel", 5900, 6400, 220, "size", ["S", "M", "L"]],
  ["hoodie", "Heavyweight Hoodie", "hoodies", 6900, 7400, 650, "colour", ["Black", "Grey"]],
  ["trail-runner", "Trail Runner Shoe", "footwear", 11900, 12900, 780, "size", ["40", "41", "42", "43", "44"]],
  ["leather-boot", "Leather Chelsea Boot", "footwear", 18900, 19900, 1200, "size", ["41", "42", "43"]],
  ["canvas-sneaker", "Canvas Sneaker", "footwear", 5900, 6500, 700, "colour", ["White", "Navy"]],
  ["wool-socks", "Wool Hiking Socks (2-pack)", "footwear", 1499, 1599, 120, "size", ["S", "M", "L"]],
  ["leather-belt", "Full-grain Leather Belt", "accessories", 4500, 4900, 300, "size", ["85", "95", "105"]],
  ["canvas-tote", "Canvas Tote Bag", "accessories", 2400, 2600, 250, null, []],
  ["beanie", "Ribbed Beanie", "accessories", 1900, 2100, 90, "colour", ["Rust", "Forest", "Black"]],
  ["sunglasses", "Polarised Sunglasses", "accessories", 7900, 8500, 60, null, []],
  ["pour-over", "Ceramic Pour-over Dripper", "home", 3200, 3500, 450, null, []],
  ["chef-knife", "Chef's Knife 20 cm", "home", 8900, 9900, 230, null, []],
  ["linen-towels", "Linen Tea Towels (set of 3)", "home", 2900, 3200, 300, "colour", ["Natural", "Sage"]],
  ["cast-iron-pan", "Cast Iron Skillet 26 cm", "home", 4900, 5400, 2600, null, []],
  ["camp-stove", "Compact Camp Stove", "outdoor", 6400, 6900, 350, null, []],
  ["sleeping-bag", "Three-season Sleeping Bag", "outdoor", 15900, 16900, 1400, "length", ["Regular", "Long"]],
  ["headlamp", "Rechargeable Headlamp", "outdoor", 3900, 4200, 80, null, []],
  ["water-bottle", "Insulated Bottle 750 ml", "outdoor", 2900, 3100, 400, "colour", ["Steel", "Blue", "Red"]],
  ["field-guide", "Field Guide to European Birds", "books", 2499, 2799, 650, null, []],
  ["cookbook", "The Edge Kitchen Cookbook", "books", 3499, 3899, 900, null, []],
  ["notebook", "Dot-grid Notebook A5", "books", 1299, 1399, 280, "colour", ["Black", "Ochre"]],
];

export const products = rows.map(([slug, title, category, eur, usd, grams, axis, values], index) => {
  const base = slug.toUpperCase().replace(/[^A-Z0-9]+/g, "-");
  const variantValues = axis ? values : [null];
  return {
    id: `prod_${slug.replace(/-/g, "_")}`,
    slug,
    title,
    description: `${title}: a demo product of the Motor catalog.`,
    category: `cat_${category}`,
    images: [`https://images.motor.dev/demo/${slug}.jpg`],
    variants: variantValues.map((value, position) => ({
      sku: value
        ? `${base}-${String(value)
            .toUpperCase()
            .replace(/[^A-Z0-9]+/g, "-")}`
        : base,
      title: value ? `${title} — ${value}` : title,
      options: axis ? { [axis]: value } : {},
      weightGrams: grams,
      position,
      prices: { EUR: eur, USD: usd },
      // a few items are scarce on purpose, so stock limits are visible in the demo
      onHand: (index * 7 + position * 13) % 5 === 0 ? 3 : 20 + ((index * 11 + position * 17) % 80),
    })),
  };
});

// Standard VAT rates as of 2025 (basis points); check them before going live. EU VAT and UK VAT
// are included in shelf prices and also apply to shipping.
const VAT = {
  AT: 2000,
  BE: 2100,
  BG: 2000,
  HR: 2500,
  CY: 1900,
  CZ: 2100,
  DK: 2500,
  EE: 2400,
  FI: 2550,
  FR: 2000,
  DE: 1900,
  GR: 2400,
  HU: 2700,
  IE: 2300,
  IT: 2200,
  LV: 2100,
  LT: 2100,
  LU: 1700,
  MT: 1800,
  NL: 2100,
  PL: 2300,
  PT: 2300,
  RO: 2100,
  SK: 2300,
  SI: 2200,
  ES: 2100,
  SE: 2500,
  GB: 2000,
};
const VAT_NAMES = { ES: "IVA", PT: "IVA", DE: "MwSt", AT: "USt", FR: "TVA", BE: "TVA", LU: "TVA", IT: "IVA" };

export const taxRules = [
  ...Object.entries(VAT).map(([country, rateBasisPoints]) => ({
    id: `tax_${country.toLowerCase()}`,
    country,
    region: "",
    name: VAT_NAMES[country] ?? "VAT",
    rateBasisPoints,
    inclusive: true,
    appliesToShipping: true,
  })),
  {
    id: "tax_us_ca",
    country: "US",
    region: "CA",
    name: "California sales tax",
    rateBasisPoints: 725,
    inclusive: false,
    appliesToShipping: false,
  },
  {
    id: "tax_us_ny",
    country: "US",
    region: "NY",
    name: "New York sales tax",
    rateBasisPoints: 400,
    inclusive: false,
    appliesToShipping: true,
  },
  // the merchant marks a destination tax-free with a 0 bp rule; without a rule it is "pending"
  ...["AK", "DE", "MT", "NH", "OR"].map((region) => ({
    id: `tax_us_${region.toLowerCase()}`,
    country: "US",
    region,
    name: "No sales tax",
    rateBasisPoints: 0,
    inclusive: false,
    appliesToShipping: false,
  })),
];

/** Local only: printed in the README, never a production default (production has no seed). */
export const localAdmin = {
  id: "usr_local_admin",
  email: "admin@motor.local",
  name: "Local Admin",
  password: "motor-admin-local",
};
