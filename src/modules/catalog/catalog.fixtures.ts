/**
 * Test data for catalog tests: real rows with unique ids, slugs and SKUs, so tests never collide
 * in the D1 storage they share within a file. Used by tests only.
 */
import { env } from "cloudflare:workers";
import { createDatabase } from "../../db/client";
import {
  categories,
  inventory,
  prices,
  productCategories,
  products,
  variants,
  type ProductStatus,
} from "../../db/schema";
import { newId } from "../../platform/ids";

export const testDb = () => createDatabase(env.DB);

export function uniqueSuffix(): string {
  return newId("t").slice(2, 12).toLowerCase();
}

export async function createCategory(overrides: { slug?: string; name?: string; parentId?: string | null } = {}) {
  const id = newId("cat");
  const slug = overrides.slug ?? `cat-${uniqueSuffix()}`;
  await testDb()
    .insert(categories)
    .values({ id, slug, name: overrides.name ?? `Category ${slug}`, parentId: overrides.parentId ?? null });
  return { id, slug };
}

export interface VariantSpec {
  sku?: string;
  eur?: number | null;
  usd?: number | null;
  onHand?: number;
  reserved?: number;
}

export interface ProductSpec {
  title?: string;
  description?: string;
  status?: ProductStatus;
  categoryId?: string;
  createdAt?: number;
  variants?: VariantSpec[];
}

export async function createProduct(spec: ProductSpec = {}) {
  const db = testDb();
  const suffix = uniqueSuffix();
  const id = newId("prod");
  const slug = `product-${suffix}`;
  const now = spec.createdAt ?? Date.now();
  const specs = spec.variants ?? [{}];
  const skus = specs.map((variant, position) => variant.sku ?? `SKU-${suffix}-${position}`.toUpperCase());
  await db.insert(products).values({
    id,
    slug,
    title: spec.title ?? `Product ${suffix}`,
    description: spec.description ?? "",
    status: spec.status ?? "active",
    images: [`https://img.test/${slug}.jpg`],
    createdAt: now,
    updatedAt: now,
  });
  for (const [position, variant] of specs.entries()) {
    const sku = skus[position] as string;
    await db.insert(variants).values({
      sku,
      productId: id,
      title: `Variant ${position}`,
      options: { size: String(position) },
      weightGrams: 100,
      position,
    });
    if (variant.eur !== null) await db.insert(prices).values({ sku, currency: "EUR", amount: variant.eur ?? 1000 });
    if (variant.usd !== null && variant.usd !== undefined)
      await db.insert(prices).values({ sku, currency: "USD", amount: variant.usd });
    await db
      .insert(inventory)
      .values({ sku, onHand: variant.onHand ?? 10, reserved: variant.reserved ?? 0, updatedAt: now });
  }
  if (spec.categoryId) await db.insert(productCategories).values({ productId: id, categoryId: spec.categoryId });
  return { id, slug, skus };
}
