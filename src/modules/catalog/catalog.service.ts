/**
 * Public catalog reads: only active products, each with its categories and its active variants
 * (price in the requested currency, availability from the inventory module). No HTTP here.
 * Query count per answer is fixed: page (1, category lookup batched in) + details batch (1) +
 * availability (1 per 100 SKUs, see availabilityOf).
 */
import type { Database } from "../../db/client";
import { NotFoundError } from "../../platform/errors";
import type { Currency } from "../../platform/money";
import { toPage } from "../../platform/pagination";
import { availableBySku } from "../inventory/inventory.service";
import {
  findActivePage,
  findActiveProduct,
  findCategories,
  findProductDetails,
  type ProductRow,
} from "./catalog.repository";
import type { CategoryView, ListProductsQuery, ProductView, VariantView } from "./catalog.schemas";
import { buildFtsQuery } from "./catalog.search";
import { cursorOf, readCursor, sortPlan } from "./catalog.sort";

/** D1 binds at most 100 parameters per statement, and availableBySku binds one per SKU. */
const SKUS_PER_AVAILABILITY_QUERY = 100;

async function availabilityOf(db: Database, skus: string[]): Promise<Map<string, number>> {
  const chunks: string[][] = [];
  for (let start = 0; start < skus.length; start += SKUS_PER_AVAILABILITY_QUERY)
    chunks.push(skus.slice(start, start + SKUS_PER_AVAILABILITY_QUERY));
  const maps = await Promise.all(chunks.map((chunk) => availableBySku(db, chunk)));
  return new Map(maps.flatMap((map) => [...map]));
}

/** Loads variants, prices, categories and availability for many products in a fixed number of queries. */
export async function hydrateProducts(db: Database, rows: ProductRow[], currency: Currency): Promise<ProductView[]> {
  if (rows.length === 0) return [];
  const { variantRows, categoryRows } = await findProductDetails(
    db,
    rows.map((row) => row.id),
    currency,
  );
  const available = await availabilityOf(
    db,
    variantRows.map((variant) => variant.sku),
  );
  const variantsOf = new Map<string, VariantView[]>();
  for (const variant of variantRows) {
    const list = variantsOf.get(variant.productId) ?? [];
    list.push({
      sku: variant.sku,
      title: variant.title,
      options: variant.options,
      weightGrams: variant.weightGrams,
      price: variant.amount === null ? null : { amount: variant.amount, currency },
      available: available.get(variant.sku) ?? 0,
    });
    variantsOf.set(variant.productId, list);
  }
  const categoriesOf = new Map<string, ProductView["categories"]>();
  for (const { productId, ...category } of categoryRows) {
    const list = categoriesOf.get(productId) ?? [];
    list.push(category);
    categoriesOf.set(productId, list);
  }
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    images: row.images,
    categories: categoriesOf.get(row.id) ?? [],
    variants: variantsOf.get(row.id) ?? [],
  }));
}

export async function listProducts(db: Database, query: ListProductsQuery) {
  const plan = sortPlan(query.sort, query.currency);
  const cursor = query.cursor === undefined ? undefined : readCursor(query.cursor, query.sort, query.currency);
  let match: string | undefined;
  if (query.q !== undefined && query.q.trim() !== "") {
    const built = buildFtsQuery(query.q);
    // text without a single letter or digit cannot match anything: answer without a query
    if (built === null) return { data: [], nextCursor: null };
    match = built;
  }
  const { rows, categoryExists } = await findActivePage(db, {
    plan,
    limit: query.limit,
    cursor,
    categorySlug: query.category,
    match,
  });
  if (!categoryExists) throw new NotFoundError({ detail: `No category with slug '${query.category}'` });
  const page = toPage(
    rows,
    query.limit,
    (row) => row,
    (row) => cursorOf(query.sort, query.currency, row),
  );
  return { data: await hydrateProducts(db, page.data, query.currency), nextCursor: page.nextCursor };
}

export async function getProduct(db: Database, idOrSlug: string, currency: Currency): Promise<ProductView> {
  const row = await findActiveProduct(db, idOrSlug);
  if (!row) throw new NotFoundError({ detail: "No such product" });
  const [product] = await hydrateProducts(db, [row], currency);
  return product as ProductView;
}

export async function listCategories(db: Database): Promise<{ data: CategoryView[] }> {
  return { data: await findCategories(db) };
}
