/**
 * Keyset pagination per sort order. Each sort is (key, id) in one direction; the cursor carries
 * the sort it was made for, the last row's key and id (and the currency for price sorts, since
 * the key depends on it), so a cursor replayed with another sort or currency is a 400 instead of
 * a silently wrong page. Ties on the key are broken by id, so no row is skipped or repeated.
 */
import * as z from "zod";
import { sql, type SQL } from "drizzle-orm";
import { NO_PRICE_ASC, NO_PRICE_DESC, products } from "../../db/schema";
import { decodeCursor } from "../../platform/pagination";
import { ValidationError } from "../../platform/errors";
import type { Currency } from "../../platform/money";
import type { ProductSort } from "./catalog.schemas";

export interface SortPlan {
  key: SQL;
  descending: boolean;
}

/**
 * The cheapest active variant's price, read from the column the triggers of migration 0033 keep
 * exact; products without a price in the currency sort last in both orders. The expression is
 * EXACTLY the one of the products_price_<cur>_<dir>_idx indexes (the fallback is a literal, not a
 * bound parameter), so SQLite walks the index instead of sorting (plan in docs/catalog.md).
 */
function cheapestPrice(currency: Currency, fallback: number): SQL {
  const column = currency === "EUR" ? products.minPriceEur : products.minPriceUsd;
  return sql`coalesce(${column}, ${sql.raw(String(fallback))})`;
}

export function sortPlan(sort: ProductSort, currency: Currency): SortPlan {
  switch (sort) {
    case "newest":
      return { key: sql`${products.createdAt}`, descending: true };
    case "title":
      return { key: sql`${products.title}`, descending: false };
    case "price_asc":
      return { key: cheapestPrice(currency, NO_PRICE_ASC), descending: false };
    case "price_desc":
      return { key: cheapestPrice(currency, NO_PRICE_DESC), descending: true };
  }
}

const cursorSchema = z
  .object({
    s: z.enum(["newest", "title", "price_asc", "price_desc"]),
    c: z.enum(["EUR", "USD"]).optional(),
    k: z.union([z.number().int(), z.string().max(300)]),
    id: z.string().min(1).max(64),
  })
  .strict();
export type ProductCursor = z.infer<typeof cursorSchema>;

const numericKey = (sort: ProductSort) => sort !== "title";

export function cursorOf(
  sort: ProductSort,
  currency: Currency,
  row: { id: string; sortKey: number | string },
): ProductCursor {
  return { s: sort, ...(sort.startsWith("price") ? { c: currency } : {}), k: row.sortKey, id: row.id };
}

/** Decodes and checks that the cursor belongs to this sort (and currency); anything else is a 400. */
export function readCursor(cursor: string, sort: ProductSort, currency: Currency): ProductCursor {
  const decoded = decodeCursor(cursor, cursorSchema);
  const keyMatches = numericKey(sort) ? typeof decoded.k === "number" : typeof decoded.k === "string";
  const currencyMatches = !sort.startsWith("price") || decoded.c === currency;
  if (decoded.s !== sort || !keyMatches || !currencyMatches) {
    throw new ValidationError({
      detail: "The cursor belongs to another sort or currency",
      errors: [{ path: "cursor", message: "cursor does not match sort/currency" }],
    });
  }
  return decoded;
}

/** `(key, id) > (k, id)` ascending or `<` descending: SQLite row values keep the keyset exact. */
export function afterCursor(plan: SortPlan, cursor: ProductCursor): SQL {
  return plan.descending
    ? sql`(${plan.key}, ${products.id}) < (${cursor.k}, ${cursor.id})`
    : sql`(${plan.key}, ${products.id}) > (${cursor.k}, ${cursor.id})`;
}

export function orderOf(plan: SortPlan): SQL {
  return plan.descending ? sql`${plan.key} desc, ${products.id} desc` : sql`${plan.key} asc, ${products.id} asc`;
}
