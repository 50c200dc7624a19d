/**
 * Catalog tables: products, their variants (one SKU each), per-currency prices, categories and the
 * catalog version. Every index below names the query it serves; the full-text index
 * (`products_fts`, FTS5) is a virtual table kept in sync by triggers, created in a hand-written
 * migration because drizzle-kit cannot express virtual tables.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const PRODUCT_STATUSES = ["draft", "active", "archived"] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    // unique: `?category=<slug>` resolves a slug to one category
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    /** Flat list with parents: a tree is rebuilt by clients from `parentId`. Never a cycle (checked on move). */
    parentId: text("parent_id"),
    position: integer("position").notNull().default(0),
  },
  // walking the tree down: `?category=` includes descendants (recursive CTE), moves check for cycles
  (table) => [index("categories_parent_idx").on(table.parentId)],
);

/** Price sort keys; the expressions must match catalog.sort.ts exactly for the indexes to serve it. */
export const NO_PRICE_ASC = 9007199254740991;
export const NO_PRICE_DESC = -1;

export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    // unique: GET /v1/products/{slug} and the 409 on a duplicate slug
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: PRODUCT_STATUSES }).notNull().default("draft"),
    images: text("images", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Cheapest active variant's price, maintained by triggers (migrations/0033); null = no price. */
    minPriceEur: integer("min_price_eur"),
    minPriceUsd: integer("min_price_usd"),
  },
  (table) => [
    // the public list sorted "newest": active products by (created_at DESC, id DESC) keyset
    index("products_status_created_idx").on(table.status, table.createdAt, table.id),
    // the public list sorted "title": active products by (title, id) keyset
    index("products_status_title_idx").on(table.status, table.title, table.id),
    // the price sorts: active products by (cheapest price, id), no price last both ways
    index("products_price_eur_asc_idx").on(
      table.status,
      sql`coalesce(${table.minPriceEur}, ${sql.raw(String(NO_PRICE_ASC))})`,
      table.id,
    ),
    index("products_price_eur_desc_idx").on(
      table.status,
      sql`coalesce(${table.minPriceEur}, ${sql.raw(String(NO_PRICE_DESC))})`,
      table.id,
    ),
    index("products_price_usd_asc_idx").on(
      table.status,
      sql`coalesce(${table.minPriceUsd}, ${sql.raw(String(NO_PRICE_ASC))})`,
      table.id,
    ),
    index("products_price_usd_desc_idx").on(
      table.status,
      sql`coalesce(${table.minPriceUsd}, ${sql.raw(String(NO_PRICE_DESC))})`,
      table.id,
    ),
  ],
);

export const variants = sqliteTable(
  "variants",
  {
    // primary key = the SKU is unique across the whole catalog (carts and stock address it)
    sku: text("sku").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    title: text("title").notNull(),
    options: text("options", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    weightGrams: integer("weight_grams").notNull().default(0),
    position: integer("position").notNull().default(0),
    status: text("status", { enum: ["active", "archived"] })
      .notNull()
      .default("active"),
  },
  // variants are loaded for a page of products at once, in display order; the price sort's
  // "cheapest variant" subquery also walks it per product
  (table) => [index("variants_product_idx").on(table.productId, table.position)],
);

export const prices = sqliteTable(
  "prices",
  {
    sku: text("sku")
      .notNull()
      .references(() => variants.sku),
    currency: text("currency").notNull(),
    /** Integer minor units, never negative (checked by the admin schema). */
    amount: integer("amount").notNull(),
  },
  // the PK serves the join "price of this SKU in this currency"
  (table) => [primaryKey({ columns: [table.sku, table.currency] })],
);

export const productCategories = sqliteTable(
  "product_categories",
  {
    productId: text("product_id")
      .notNull()
      .references(() => products.id),
    categoryId: text("category_id")
      .notNull()
      .references(() => categories.id),
  },
  // the PK serves "categories of these products"; the index serves "products in this category"
  (table) => [
    primaryKey({ columns: [table.productId, table.categoryId] }),
    index("product_categories_category_idx").on(table.categoryId, table.productId),
  ],
);

/**
 * One row (id = 1): bumped in the same batch as every catalog write. Cached answers in the shared
 * tiers (Cache API, KV) are keyed by it, so a write makes every older entry unreachable at once.
 * It lives in D1, not KV: KV propagates in ~60 s and allows ~1 write/s per key, which would let
 * readers keep an old version long after a write.
 */
export const catalogVersion = sqliteTable("catalog_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});

/**
 * Work queue of the min-price triggers (migrations/0033): a write to prices or variants inserts
 * the product ids it touched; this table's own trigger recomputes their cheapest prices and
 * deletes the row at once, so it is always empty between statements.
 */
export const productPriceRefresh = sqliteTable("product_price_refresh", {
  productId: text("product_id").notNull(),
});
