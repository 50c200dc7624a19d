import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../db/client";
import { ServerTimings, timedD1 } from "../../platform/timing";
import { createCategory, createProduct } from "./catalog.fixtures";
import { listProductsQuerySchema } from "./catalog.schemas";
import { buildFtsQuery } from "./catalog.search";
import { getProduct, listProducts } from "./catalog.service";

function countingDb() {
  const timings = new ServerTimings();
  return { db: createDatabase(timedD1(env.DB, timings)), queries: () => timings.count("d1") };
}

async function categoryWith(productCount: number) {
  const category = await createCategory();
  for (let index = 0; index < productCount; index += 1)
    await createProduct({ categoryId: category.id, variants: [{}, {}, { usd: 5 }] });
  return category;
}

describe("catalog reads query count (no N+1)", () => {
  it("loads a page with variants, prices, categories and availability in the same number of queries for 2 or 20 products", async () => {
    const small = await categoryWith(2);
    const large = await categoryWith(21);
    const counts = [];
    for (const category of [small, large]) {
      const { db, queries } = countingDb();
      const page = await listProducts(db, listProductsQuerySchema.parse({ category: category.slug, limit: "20" }));
      expect(page.data.every((product) => product.variants.length === 3 && product.categories.length === 1)).toBe(true);
      counts.push({ products: page.data.length, queries: queries() });
    }
    expect(counts).toEqual([
      { products: 2, queries: 3 },
      { products: 20, queries: 3 },
    ]);
  });

  it("loads one product in 3 queries", async () => {
    const product = await createProduct({ variants: [{}, {}, {}, {}] });
    const { db, queries } = countingDb();
    expect((await getProduct(db, product.slug, "EUR")).variants).toHaveLength(4);
    expect(queries()).toBe(3);
  });

  it("loads a full page of 100 products with 300 SKUs without exceeding D1's bound-parameter limit", async () => {
    const category = await categoryWith(100);
    const { db } = countingDb();
    const page = await listProducts(db, listProductsQuerySchema.parse({ category: category.slug, limit: "100" }));
    expect(page.data).toHaveLength(100);
    expect(page.data.flatMap((product) => product.variants)).toHaveLength(300);
  }, 60_000);
});

describe("buildFtsQuery", () => {
  it("quotes every token, ANDs them and makes the last one a prefix", () => {
    expect(buildFtsQuery("wool  socks")).toBe('"wool" "socks"*');
  });

  it("turns FTS operators and syntax into plain words or separators", () => {
    expect(buildFtsQuery('a" OR title:b* NEAR(c) ^d -e')).toBe('"a" "OR" "title" "b" "NEAR" "c" "d" "e"*');
  });

  it("answers null when nothing is searchable", () => {
    for (const text of ["", "   ", '"', "%_%", "*^:()", "--"]) expect(buildFtsQuery(text)).toBeNull();
  });

  it("caps the number and length of tokens", () => {
    expect(buildFtsQuery("w ".repeat(50))?.split(" ")).toHaveLength(8);
    expect(buildFtsQuery("x".repeat(500))).toBe(`"${"x".repeat(40)}"*`);
  });

  it("keeps letters of every script and folds compatibility forms", () => {
    expect(buildFtsQuery("Crème brûlée 日本")).toBe('"Crème" "brûlée" "日本"*');
    expect(buildFtsQuery("ｗｏｏｌ")).toBe('"wool"*');
  });
});
