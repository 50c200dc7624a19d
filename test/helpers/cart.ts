/**
 * Cart test data: sellable SKUs (product + variant + EUR/USD prices + stock), the seeded tax rules,
 * two shipping zones (the US; the rest of the world) with a Standard option each, and discount
 * codes. Every SKU/code is unique so tests sharing a
 * file's D1 never collide; rules and rates have fixed ids and are inserted idempotently.
 */
import { env } from "cloudflare:workers";
import { createDatabase } from "../../src/db/client";
import {
  discountCodes,
  inventory,
  prices,
  products,
  shippingOptions,
  shippingRates,
  shippingZoneCountries,
  shippingZones,
  taxRules,
  variants,
} from "../../src/db/schema";
import { newId } from "../../src/platform/ids";

export const cartDb = () => createDatabase(env.DB);

export interface SkuOptions {
  eur?: number;
  usd?: number | null;
  onHand?: number;
  weightGrams?: number;
  productStatus?: "draft" | "active" | "archived";
}

export async function createSellableSku(options: SkuOptions = {}): Promise<string> {
  const db = cartDb();
  const productId = newId("prod");
  const sku = `CART-${newId("t", 8).slice(2)}`.toUpperCase();
  const now = Date.now();
  const usd = options.usd === undefined ? 2199 : options.usd;
  await db.batch([
    db.insert(products).values({
      id: productId,
      slug: productId.toLowerCase(),
      title: `Product ${sku}`,
      status: options.productStatus ?? "active",
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(variants).values({ sku, productId, title: `Variant ${sku}`, weightGrams: options.weightGrams ?? 180 }),
    db.insert(prices).values({ sku, currency: "EUR", amount: options.eur ?? 1999 }),
    ...(usd === null ? [] : [db.insert(prices).values({ sku, currency: "USD", amount: usd })]),
    db.insert(inventory).values({ sku, onHand: options.onHand ?? 50, updatedAt: now }),
  ]);
  return sku;
}

export async function ensurePricingRules(): Promise<void> {
  const db = cartDb();
  await db.batch([
    db
      .insert(taxRules)
      .values([
        {
          id: "tax_es",
          country: "ES",
          region: "",
          name: "IVA",
          rateBasisPoints: 2100,
          inclusive: true,
          appliesToShipping: true,
        },
        {
          id: "tax_de",
          country: "DE",
          region: "",
          name: "MwSt",
          rateBasisPoints: 1900,
          inclusive: true,
          appliesToShipping: true,
        },
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
      ])
      .onConflictDoNothing(),
    db
      .insert(shippingZones)
      .values([
        { id: "shz_test_world", name: "World", createdAt: 0, updatedAt: 0 },
        { id: "shz_test_us", name: "US", createdAt: 0, updatedAt: 0 },
      ])
      .onConflictDoNothing(),
    db
      .insert(shippingZoneCountries)
      .values([
        { country: "*", zoneId: "shz_test_world" },
        { country: "US", zoneId: "shz_test_us" },
      ])
      .onConflictDoNothing(),
    db
      .insert(shippingOptions)
      .values([
        {
          id: "shpo_test_world",
          zoneId: "shz_test_world",
          name: "Standard",
          estimatedDays: 5,
          createdAt: 0,
          updatedAt: 0,
        },
        { id: "shpo_test_us", zoneId: "shz_test_us", name: "Standard", estimatedDays: 5, createdAt: 0, updatedAt: 0 },
      ])
      .onConflictDoNothing(),
    db
      .insert(shippingRates)
      .values([
        {
          id: "shp_test_eu",
          optionId: "shpo_test_world",
          currency: "EUR",
          minWeightGrams: 0,
          maxWeightGrams: null,
          amount: 500,
          freeAboveAmount: 5000,
        },
        {
          id: "shp_test_us",
          optionId: "shpo_test_us",
          currency: "USD",
          minWeightGrams: 0,
          maxWeightGrams: null,
          amount: 799,
          freeAboveAmount: 10000,
        },
      ])
      .onConflictDoNothing(),
  ]);
}

export async function createDiscountCode(overrides: Partial<typeof discountCodes.$inferInsert> = {}): Promise<string> {
  const code = overrides.code ?? `TEST${newId("t", 8).slice(2)}`.toUpperCase();
  await cartDb()
    .insert(discountCodes)
    .values({ kind: "percentage", percentBasisPoints: 1000, createdAt: Date.now(), ...overrides, code });
  return code;
}
