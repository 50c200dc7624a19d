/**
 * Catalog reads (drizzle only). A page is a fixed number of statements whatever its size:
 * the page itself (batched with the category lookup), then variants+prices and categories for
 * all its products in one batch. Id lists are passed as ONE JSON parameter (`json_each`), since
 * D1 caps bound parameters per statement at 100.
 */
import { and, asc, eq, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Database } from "../../db/client";
import { catalogVersion, categories, prices, productCategories, products, variants } from "../../db/schema";
import type { Currency } from "../../platform/money";
import { afterCursor, orderOf, type ProductCursor, type SortPlan } from "./catalog.sort";

export function inJsonList(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}

const productColumns = {
  id: products.id,
  slug: products.slug,
  title: products.title,
  description: products.description,
  images: products.images,
};
export type ProductRow = { id: string; slug: string; title: string; description: string; images: string[] };

export async function readCatalogVersion(db: Database): Promise<number> {
  const row = await db
    .select({ version: catalogVersion.version })
    .from(catalogVersion)
    .where(eq(catalogVersion.id, 1))
    .get();
  return row?.version ?? 0;
}

export interface PageFilter {
  plan: SortPlan;
  limit: number;
  cursor?: ProductCursor;
  categorySlug?: string;
  /** A safe FTS5 expression from buildFtsQuery. */
  match?: string;
}

/** The page query itself (exported so a test can read SQLite's plan for it). */
export function activePageQuery(db: Database, filter: PageFilter) {
  const conditions: SQL[] = [sql`${products.status} = 'active'`];
  if (filter.categorySlug !== undefined) {
    // the category and all its descendants (categories_parent_idx walks the tree down)
    conditions.push(
      sql`${products.id} in (with recursive tree(id) as (select ${categories.id} from
        ${categories} where ${categories.slug} = ${filter.categorySlug} union select c.id from
        ${categories} c join tree on c.parent_id = tree.id) select ${productCategories.productId} from
        ${productCategories} where ${productCategories.categoryId} in (select id from tree))`,
    );
  }
  if (filter.match !== undefined)
    conditions.push(
      sql`${products.id} in (select product_id from products_fts where products_fts match ${filter.match})`,
    );
  if (filter.cursor) conditions.push(afterCursor(filter.plan, filter.cursor));
  return db
    .select({ ...productColumns, sortKey: sql<number | string>`${filter.plan.key}`.as("sort_key") })
    .from(products)
    .where(and(...conditions))
    .orderBy(orderOf(filter.plan))
    .limit(filter.limit + 1);
}

/** One round trip: the page rows and, when filtering by category, whether that category exists. */
export async function findActivePage(db: Database, filter: PageFilter) {
  const page = activePageQuery(db, filter);
  if (filter.categorySlug === undefined) return { rows: await page, categoryExists: true };
  const [category, rows] = await db.batch([
    db.select({ id: categories.id }).from(categories).where(eq(categories.slug, filter.categorySlug)).limit(1),
    page,
  ]);
  return { rows, categoryExists: category.length > 0 };
}

export async function findActiveProduct(db: Database, idOrSlug: string): Promise<ProductRow | undefined> {
  return db
    .select(productColumns)
    .from(products)
    .where(and(eq(products.status, "active"), or(eq(products.id, idOrSlug), eq(products.slug, idOrSlug))))
    .get();
}

/** Variants with their price in `currency`, and category links, for many products: one batch. */
export async function findProductDetails(db: Database, productIds: readonly string[], currency: Currency) {
  const [variantRows, categoryRows] = await db.batch([
    db
      .select({
        productId: variants.productId,
        sku: variants.sku,
        title: variants.title,
        options: variants.options,
        weightGrams: variants.weightGrams,
        amount: prices.amount,
      })
      .from(variants)
      .leftJoin(prices, and(eq(prices.sku, variants.sku), eq(prices.currency, currency)))
      .where(and(inJsonList(variants.productId, productIds), eq(variants.status, "active")))
      .orderBy(asc(variants.productId), asc(variants.position), asc(variants.sku)),
    db
      .select({
        productId: productCategories.productId,
        id: categories.id,
        slug: categories.slug,
        name: categories.name,
      })
      .from(productCategories)
      .innerJoin(categories, eq(categories.id, productCategories.categoryId))
      .where(inJsonList(productCategories.productId, productIds))
      .orderBy(asc(categories.position), asc(categories.slug)),
  ]);
  return { variantRows, categoryRows };
}

export async function findCategories(db: Database) {
  return db
    .select({
      id: categories.id,
      slug: categories.slug,
      name: categories.name,
      parentId: categories.parentId,
      position: categories.position,
    })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.slug));
}
