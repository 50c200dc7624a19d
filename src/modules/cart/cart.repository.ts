/**
 * Cart persistence (drizzle only). Reads the catalog tables directly: the cart needs the current
 * title, weight, status and price of each SKU, and never trusts anything stored with the line.
 */
import { and, eq, isNull, lt, ne, notExists, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  cartItems,
  carts,
  checkouts,
  prices,
  products,
  shippingOptions,
  shippingRates,
  shippingZoneCountries,
  taxRules,
  variants,
} from "../../db/schema";

export type CartRow = typeof carts.$inferSelect;
export type CartItemRow = typeof cartItems.$inferSelect;
export type TaxRuleRow = typeof taxRules.$inferSelect;

export function insertCartStatement(db: Database, row: typeof carts.$inferInsert) {
  return db.insert(carts).values(row);
}

export function selectOpenCart(db: Database, id: string) {
  return db
    .select()
    .from(carts)
    .where(and(eq(carts.id, id), eq(carts.status, "open")))
    .limit(1);
}

/**
 * A column of the stored cart as an SQL subquery: reads keyed by the cart's currency, country or
 * code can then share one batch with the read of the cart itself (checkout's first round trip).
 */
export function storedCartColumn(cartId: string, column: "currency" | "country" | "discountCode"): SQL {
  return sql`(select ${carts[column]} from ${carts} where ${carts.id} = ${cartId})`;
}

export async function findOpenCart(db: Database, id: string): Promise<CartRow | undefined> {
  const [row] = await selectOpenCart(db, id);
  return row;
}

/**
 * The user's most recently touched open cart other than `exceptId`, if still fresh and not held by
 * a checkout (a claim merges it and deletes it: that must not take lines from under an order).
 */
export async function findLatestUserCart(
  db: Database,
  userId: string,
  exceptId: string,
  freshSince: number,
): Promise<CartRow | undefined> {
  const [row] = await db
    .select()
    .from(carts)
    .where(
      and(
        eq(carts.userId, userId),
        eq(carts.status, "open"),
        sql`${carts.updatedAt} >= ${freshSince}`,
        sql`${carts.id} <> ${exceptId}`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(checkouts)
            .where(and(eq(checkouts.cartId, carts.id), ne(checkouts.state, "compensated"))),
        ),
      ),
    )
    .orderBy(sql`${carts.updatedAt} DESC`)
    .limit(1);
  return row;
}

/**
 * The cart's lines with the catalog facts pricing needs; unitPrice is null when the SKU has no
 * price in `currency`. Every column has a distinct alias: inside a D1 batch rows come back as
 * objects keyed by column name, so two `status` columns would overwrite each other.
 */
export function selectCartLines(db: Database, cartId: string, currency: string | SQL) {
  return db
    .select({
      sku: sql<string>`${cartItems.sku}`.as("line_sku"),
      quantity: sql<number>`${cartItems.quantity}`.as("line_quantity"),
      title: sql<string | null>`${variants.title}`.as("variant_title"),
      weightGrams: sql<number | null>`${variants.weightGrams}`.as("variant_weight"),
      variantStatus: sql<string | null>`${variants.status}`.as("variant_status"),
      productStatus: sql<string | null>`${products.status}`.as("product_status"),
      unitPrice: sql<number | null>`${prices.amount}`.as("unit_price"),
    })
    .from(cartItems)
    .leftJoin(variants, eq(variants.sku, cartItems.sku))
    .leftJoin(products, eq(products.id, variants.productId))
    .leftJoin(prices, and(eq(prices.sku, cartItems.sku), eq(prices.currency, currency)))
    .where(eq(cartItems.cartId, cartId))
    .orderBy(cartItems.addedAt, cartItems.sku);
}
export type CartLineRow = Awaited<ReturnType<typeof selectCartLines>>[number];

export function selectItems(db: Database, cartId: string) {
  return db.select().from(cartItems).where(eq(cartItems.cartId, cartId));
}

export function selectTaxRules(db: Database, country: string | SQL) {
  return db.select().from(taxRules).where(eq(taxRules.country, country));
}

/** The destination's zone: the one listing the country, else the rest-of-world zone ("*"). */
function zoneCountryOf(country: string | SQL) {
  return sql`coalesce((select ${shippingZoneCountries.country} from ${shippingZoneCountries}
    where ${shippingZoneCountries.country} = ${country}), '*')`;
}

/**
 * The active options of the destination's zone with their rates in `currency`, one row per rate
 * (aliased: inside a D1 batch rows are keyed by column name).
 */
export function selectZoneShippingRates(db: Database, currency: string | SQL, country: string | SQL) {
  return db
    .select({
      optionId: sql<string>`${shippingOptions.id}`.as("option_id"),
      name: sql<string>`${shippingOptions.name}`.as("option_name"),
      estimatedDays: sql<number>`${shippingOptions.estimatedDays}`.as("option_days"),
      currency: shippingRates.currency,
      minWeightGrams: shippingRates.minWeightGrams,
      maxWeightGrams: shippingRates.maxWeightGrams,
      amount: shippingRates.amount,
      freeAboveAmount: shippingRates.freeAboveAmount,
    })
    .from(shippingZoneCountries)
    .innerJoin(
      shippingOptions,
      and(eq(shippingOptions.zoneId, shippingZoneCountries.zoneId), eq(shippingOptions.active, true)),
    )
    .innerJoin(shippingRates, and(eq(shippingRates.optionId, shippingOptions.id), eq(shippingRates.currency, currency)))
    .where(eq(shippingZoneCountries.country, zoneCountryOf(country)))
    .orderBy(shippingOptions.id, shippingRates.minWeightGrams);
}
export type ZoneShippingRateRow = Awaited<ReturnType<typeof selectZoneShippingRates>>[number];

/** Whether `optionId` is an active option of the destination's zone. */
export async function isOptionOfZone(db: Database, optionId: string, country: string): Promise<boolean> {
  const row = await db
    .select({ id: shippingOptions.id })
    .from(shippingOptions)
    .innerJoin(shippingZoneCountries, eq(shippingZoneCountries.zoneId, shippingOptions.zoneId))
    .where(
      and(
        eq(shippingOptions.id, optionId),
        eq(shippingOptions.active, true),
        eq(shippingZoneCountries.country, zoneCountryOf(country)),
      ),
    )
    .get();
  return row !== undefined;
}

/** The currencies a SKU is sold in: an active variant of an active product with a price; none = not sellable. */
export function selectSellableCurrencies(db: Database, sku: string) {
  return db
    .select({ currency: prices.currency })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .innerJoin(prices, eq(prices.sku, variants.sku))
    .where(and(eq(variants.sku, sku), eq(variants.status, "active"), eq(products.status, "active")));
}

export function upsertItemStatement(db: Database, cartId: string, sku: string, quantity: number, now: number) {
  return db
    .insert(cartItems)
    .values({ cartId, sku, quantity, addedAt: now })
    .onConflictDoUpdate({ target: [cartItems.cartId, cartItems.sku], set: { quantity } });
}

/**
 * Adds `quantity` to a line atomically: concurrent adds to the same line both count, and the
 * increment only lands while the line stays within `limit` (0 changed rows = refused).
 */
export function incrementItemStatement(
  db: Database,
  cartId: string,
  sku: string,
  quantity: number,
  limit: number,
  now: number,
) {
  return db
    .insert(cartItems)
    .values({ cartId, sku, quantity, addedAt: now })
    .onConflictDoUpdate({
      target: [cartItems.cartId, cartItems.sku],
      set: { quantity: sql`${cartItems.quantity} + ${quantity}` },
      setWhere: sql`${cartItems.quantity} + ${quantity} <= ${limit}`,
    });
}

export function deleteItemStatement(db: Database, cartId: string, sku: string) {
  return db.delete(cartItems).where(and(eq(cartItems.cartId, cartId), eq(cartItems.sku, sku)));
}

/** `updatedAt` may be SQL: cart edits pass `lockedCartTouch` (cart-lock.ts), which refuses the write while a checkout holds the cart. */
export function updateCartStatement(
  db: Database,
  cartId: string,
  changes: Omit<Partial<typeof carts.$inferInsert>, "updatedAt"> & { updatedAt: number | SQL },
) {
  return db.update(carts).set(changes).where(eq(carts.id, cartId));
}

/** Adopts an anonymous cart; the user_id IS NULL guard makes a concurrent second claim a no-op. */
export function claimCartStatement(
  db: Database,
  cartId: string,
  changes: Omit<Partial<typeof carts.$inferInsert>, "updatedAt"> & { userId: string; updatedAt: number | SQL },
) {
  return db
    .update(carts)
    .set(changes)
    .where(and(eq(carts.id, cartId), isNull(carts.userId)));
}

export function deleteCartStatement(db: Database, cartId: string) {
  return db.delete(carts).where(eq(carts.id, cartId));
}

/** Carts idle since before `cutoff`; their lines go with them (ON DELETE CASCADE). */
export async function deleteIdleCarts(db: Database, cutoff: number): Promise<number> {
  const result = await db.delete(carts).where(lt(carts.updatedAt, cutoff));
  return result.meta.changes ?? 0;
}
