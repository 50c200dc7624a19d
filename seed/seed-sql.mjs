// Turns the demo data into idempotent SQL: every insert is ON CONFLICT DO NOTHING, so re-running
// the seed never duplicates rows nor overwrites what a developer changed (stock, passwords).
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { categories, localAdmin, products, taxRules } from "./demo-catalog.mjs";
import {
  discountCodes,
  shippingOptions,
  shippingRates,
  shippingZoneCountries,
  shippingZones,
} from "./demo-pricing.mjs";

const quote = (value) =>
  value === null || value === undefined
    ? "NULL"
    : typeof value === "number"
      ? String(value)
      : `'${String(value).replace(/'/g, "''")}'`;
const insert = (table, row) =>
  `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.values(row).map(quote).join(", ")}) ON CONFLICT DO NOTHING;`;

/** Same format as src/modules/identity/password.ts. */
export function hashPasswordForSeed(password, iterations = 100_000) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  return ["pbkdf2-sha256", iterations, salt.toString("base64"), hash.toString("base64")].join("$");
}

export function buildSeedStatements({
  now = Date.now(),
  adminPasswordHash = hashPasswordForSeed(localAdmin.password),
} = {}) {
  const statements = [];
  categories.forEach((category, position) =>
    statements.push(
      insert("categories", {
        id: category.id,
        slug: category.slug,
        name: category.name,
        parent_id: category.parentId ?? null,
        position,
      }),
    ),
  );
  for (const [index, product] of products.entries()) {
    // one minute apart, so the "newest" sort shows the demo list in a stable, meaningful order
    const createdAt = now - index * 60_000;
    statements.push(
      insert("products", {
        id: product.id,
        slug: product.slug,
        title: product.title,
        description: product.description,
        status: "active",
        images: JSON.stringify(product.images),
        created_at: createdAt,
        updated_at: createdAt,
      }),
    );
    statements.push(insert("product_categories", { product_id: product.id, category_id: product.category }));
    for (const variant of product.variants) {
      statements.push(
        insert("variants", {
          sku: variant.sku,
          product_id: product.id,
          title: variant.title,
          options: JSON.stringify(variant.options),
          weight_grams: variant.weightGrams,
          position: variant.position,
          status: "active",
        }),
      );
      for (const [currency, amount] of Object.entries(variant.prices))
        statements.push(insert("prices", { sku: variant.sku, currency, amount }));
      statements.push(insert("inventory", { sku: variant.sku, on_hand: variant.onHand, updated_at: now }));
    }
  }
  for (const rule of taxRules) {
    statements.push(
      insert("tax_rules", {
        id: rule.id,
        country: rule.country,
        region: rule.region,
        name: rule.name,
        rate_bp: rule.rateBasisPoints,
        inclusive: rule.inclusive ? 1 : 0,
        applies_to_shipping: rule.appliesToShipping ? 1 : 0,
      }),
    );
  }
  // cart & pricing: shipping zones, options and rates, demo discount codes (seed/demo-pricing.mjs)
  for (const zone of shippingZones)
    statements.push(insert("shipping_zones", { id: zone.id, name: zone.name, created_at: now, updated_at: now }));
  for (const entry of shippingZoneCountries)
    statements.push(insert("shipping_zone_countries", { country: entry.country, zone_id: entry.zoneId }));
  for (const option of shippingOptions) {
    statements.push(
      insert("shipping_options", {
        id: option.id,
        zone_id: option.zoneId,
        name: option.name,
        estimated_days: option.estimatedDays,
        active: 1,
        created_at: now,
        updated_at: now,
      }),
    );
  }
  for (const rate of shippingRates) {
    statements.push(
      insert("shipping_rates", {
        id: rate.id,
        option_id: rate.optionId,
        currency: rate.currency,
        min_weight_grams: rate.minWeightGrams,
        max_weight_grams: rate.maxWeightGrams,
        amount: rate.amount,
        free_above_amount: rate.freeAboveAmount,
      }),
    );
  }
  for (const code of discountCodes) {
    statements.push(
      insert("discount_codes", {
        code: code.code,
        kind: code.kind,
        percent_bp: code.percentBasisPoints,
        amount: code.amount,
        currency: code.currency,
        min_subtotal: code.minSubtotal,
        usage_limit: code.usageLimit,
        used: 0,
        active: 1,
        created_at: now,
      }),
    );
  }
  statements.push(
    insert("users", {
      id: localAdmin.id,
      email: localAdmin.email,
      name: localAdmin.name,
      password_hash: adminPasswordHash,
      role: "admin",
      created_at: now,
      updated_at: now,
    }),
  );
  return statements;
}
