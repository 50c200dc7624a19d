/**
 * Catalog writes (drizzle only). Functions return statements, not results, so the service can put
 * a change, its audit row, its outbox event and the version bump in ONE D1 batch (D1's only
 * transaction).
 */
import { and, asc, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { catalogVersion, categories, prices, productCategories, products, variants } from "../../db/schema";
import type { Currency } from "../../platform/money";
import { inJsonList } from "./catalog.repository";

export type ProductInsert = typeof products.$inferInsert;
export type VariantInsert = typeof variants.$inferInsert;

/** Every catalog write runs this in its batch: it is what invalidates the shared cache tiers. */
export function bumpCatalogVersion(db: Database) {
  return db
    .insert(catalogVersion)
    .values({ id: 1, version: 1 })
    .onConflictDoUpdate({ target: catalogVersion.id, set: { version: sql`${catalogVersion.version} + 1` } });
}

export async function findExistingCategoryIds(db: Database, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: categories.id }).from(categories).where(inJsonList(categories.id, ids));
  return rows.map((row) => row.id);
}

/** One round trip: which of these slugs / SKUs are taken, and by which product. */
export async function findTaken(db: Database, slug: string | undefined, skus: readonly string[]) {
  const [slugRows, skuRows] = await db.batch([
    db
      .select({ id: products.id })
      .from(products)
      .where(eq(products.slug, slug ?? "")),
    db
      .select({ sku: variants.sku, productId: variants.productId })
      .from(variants)
      .where(inJsonList(variants.sku, skus)),
  ]);
  return { slugOwner: slug === undefined ? undefined : slugRows[0]?.id, skus: skuRows };
}

export function insertProduct(db: Database, row: ProductInsert) {
  return db.insert(products).values(row);
}

export function updateProduct(db: Database, id: string, patch: Partial<ProductInsert>) {
  return db.update(products).set(patch).where(eq(products.id, id));
}

/** Upsert by SKU, but never move a SKU that belongs to another product (the WHERE guards a race). */
export function upsertVariant(db: Database, row: VariantInsert) {
  const { sku: _sku, productId, ...fields } = row;
  return db
    .insert(variants)
    .values(row)
    .onConflictDoUpdate({ target: variants.sku, set: fields, setWhere: eq(variants.productId, productId) });
}

export function replacePrices(db: Database, sku: string, list: { currency: Currency; amount: number }[]) {
  const remove = db.delete(prices).where(eq(prices.sku, sku));
  return list.length === 0 ? [remove] : [remove, db.insert(prices).values(list.map((price) => ({ sku, ...price })))];
}

export function replaceCategoryLinks(db: Database, productId: string, categoryIds: readonly string[]) {
  const remove = db.delete(productCategories).where(eq(productCategories.productId, productId));
  return categoryIds.length === 0
    ? [remove]
    : [remove, db.insert(productCategories).values(categoryIds.map((categoryId) => ({ productId, categoryId })))];
}

export function insertCategory(db: Database, row: typeof categories.$inferInsert) {
  return db.insert(categories).values(row);
}

export type AdminProductRow = typeof products.$inferSelect;

/** Variants, prices and category links of many products (whatever their status): one batch. */
export async function findAdminDetails(db: Database, productIds: readonly string[]) {
  const [variantRows, priceRows, linkRows] = await db.batch([
    db
      .select()
      .from(variants)
      .where(inJsonList(variants.productId, productIds))
      .orderBy(asc(variants.position), asc(variants.sku)),
    db
      .select({ productId: variants.productId, sku: prices.sku, currency: prices.currency, amount: prices.amount })
      .from(prices)
      .innerJoin(variants, eq(variants.sku, prices.sku))
      .where(inJsonList(variants.productId, productIds))
      .orderBy(asc(prices.currency)),
    db
      .select({ productId: productCategories.productId, categoryId: productCategories.categoryId })
      .from(productCategories)
      .where(inJsonList(productCategories.productId, productIds)),
  ]);
  return { variantRows, priceRows, linkRows };
}

export function findProductRow(db: Database, id: string): Promise<AdminProductRow | undefined> {
  return db.select().from(products).where(eq(products.id, id)).get();
}

/** Every status (or one), newest first, keyset on (created_at, id); `match` is a safe FTS5 expression. */
export function listAdminProducts(
  db: Database,
  filter: { status?: AdminProductRow["status"]; match?: string; after?: { t: number; id: string }; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    filter.status ? eq(products.status, filter.status) : undefined,
    filter.match
      ? sql`${products.id} in (select product_id from products_fts where products_fts match ${filter.match})`
      : undefined,
    filter.after
      ? or(
          lt(products.createdAt, filter.after.t),
          and(eq(products.createdAt, filter.after.t), lt(products.id, filter.after.id)),
        )
      : undefined,
  ];
  return db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(filter.limit + 1);
}
