import { eq } from "drizzle-orm";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callJson } from "../../../test/helpers/http";
import { prices, products, variants } from "../../db/schema";
import { activePageQuery } from "./catalog.repository";
import { createCategory, createProduct, testDb } from "./catalog.fixtures";
import type { ProductView } from "./catalog.schemas";
import { sortPlan } from "./catalog.sort";

type Page = { data: ProductView[]; nextCursor: string | null };
const list = (query: string) => callJson<Page>(`/v1/products?${query}`, { headers: { "Motor-Cache": "bypass" } });
const minPrices = async (id: string) =>
  testDb()
    .select({ eur: products.minPriceEur, usd: products.minPriceUsd })
    .from(products)
    .where(eq(products.id, id))
    .get();

describe("category tree", () => {
  it("?category= includes the products of every descendant, not of the parent's siblings", async () => {
    const parent = await createCategory();
    const child = await createCategory({ parentId: parent.id });
    const grandchild = await createCategory({ parentId: child.id });
    const sibling = await createCategory();
    const [inParent, inChild, inGrandchild] = await Promise.all(
      [parent, child, grandchild].map((category) => createProduct({ categoryId: category.id })),
    );
    await createProduct({ categoryId: sibling.id });
    const all = (await list(`category=${parent.slug}`)).body.data.map((product) => product.id);
    expect(all.sort()).toEqual([inParent!.id, inChild!.id, inGrandchild!.id].sort());
    const below = (await list(`category=${child.slug}`)).body.data.map((product) => product.id);
    expect(below.sort()).toEqual([inChild!.id, inGrandchild!.id].sort());
  });
});

describe("the maintained cheapest-price column", () => {
  it("follows price inserts, changes and deletes, per currency", async () => {
    const product = await createProduct({ variants: [{ eur: 3000, usd: 3300 }, { eur: 2000 }] });
    expect(await minPrices(product.id)).toEqual({ eur: 2000, usd: 3300 });
    await testDb().update(prices).set({ amount: 1500 }).where(eq(prices.sku, product.skus[0]!));
    expect(await minPrices(product.id)).toEqual({ eur: 1500, usd: 1500 });
    await testDb().delete(prices).where(eq(prices.sku, product.skus[0]!));
    expect(await minPrices(product.id)).toEqual({ eur: 2000, usd: null });
  });

  it("ignores archived variants and follows variants that are added or removed", async () => {
    const product = await createProduct({ variants: [{ eur: 3000 }, { eur: 2000 }] });
    await testDb().update(variants).set({ status: "archived" }).where(eq(variants.sku, product.skus[1]!));
    expect((await minPrices(product.id))?.eur).toBe(3000);
    await testDb().update(variants).set({ status: "active" }).where(eq(variants.sku, product.skus[1]!));
    expect((await minPrices(product.id))?.eur).toBe(2000);
    await testDb().delete(prices).where(eq(prices.sku, product.skus[1]!));
    await testDb().delete(variants).where(eq(variants.sku, product.skus[1]!));
    expect((await minPrices(product.id))?.eur).toBe(3000);
  });

  it("sorts by price across pages from the column", async () => {
    const category = await createCategory();
    const cheap = await createProduct({ categoryId: category.id, variants: [{ eur: 900 }, { eur: 5000 }] });
    const dear = await createProduct({ categoryId: category.id, variants: [{ eur: 4000 }] });
    const middle = await createProduct({ categoryId: category.id, variants: [{ eur: 2500 }] });
    const first = await list(`category=${category.slug}&sort=price_asc&limit=2`);
    const second = await list(`category=${category.slug}&sort=price_asc&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.data, ...second.body.data].map((product) => product.id)).toEqual([
      cheap.id,
      middle.id,
      dear.id,
    ]);
  });

  it.each([
    ["price_asc", "EUR", "products_price_eur_asc_idx"],
    ["price_desc", "EUR", "products_price_eur_desc_idx"],
    ["price_asc", "USD", "products_price_usd_asc_idx"],
    ["price_desc", "USD", "products_price_usd_desc_idx"],
  ] as const)(
    "%s in %s is served by %s, with no sort step and no correlated subquery",
    async (sort, currency, index) => {
      const query = activePageQuery(testDb(), { plan: sortPlan(sort, currency), limit: 20 }).toSQL();
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
        .bind(...query.params)
        .all<{ detail: string }>();
      const steps = plan.results.map((row) => row.detail);
      expect(steps).toEqual([`SEARCH products USING INDEX ${index} (status=?)`]);
    },
  );
});
