import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createCategory, createProduct } from "./catalog.fixtures";
import type { ProductView } from "./catalog.schemas";

type Page = { data: ProductView[]; nextCursor: string | null };
// every read here skips the cache tiers so it sees the rows the test just wrote (staff may bypass)
const fresh = { headers: { "Motor-Cache": "bypass" }, token: "" };
beforeAll(async () => {
  fresh.token = (await createUser("staff")).token;
});
const list = (query: string) => callJson<Page>(`/v1/products?${query}`, fresh);

describe("GET /v1/products", () => {
  it("lists active products of a category with variants, prices in the currency, categories and availability", async () => {
    const category = await createCategory();
    const product = await createProduct({
      categoryId: category.id,
      variants: [
        { eur: 1999, usd: 2199, onHand: 7, reserved: 2 },
        { eur: 2999, onHand: 1, reserved: 5 },
      ],
    });
    const { status, body } = await list(`category=${category.slug}`);
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    expect(body.data).toEqual([
      expect.objectContaining({
        id: product.id,
        slug: product.slug,
        images: [`https://img.test/${product.slug}.jpg`],
        categories: [{ id: category.id, slug: category.slug, name: `Category ${category.slug}` }],
        variants: [
          {
            sku: product.skus[0],
            title: "Variant 0",
            options: { size: "0" },
            weightGrams: 100,
            price: { amount: 1999, currency: "EUR" },
            available: 5,
          },
          // reserved above on hand never shows a negative availability
          {
            sku: product.skus[1],
            title: "Variant 1",
            options: { size: "1" },
            weightGrams: 100,
            price: { amount: 2999, currency: "EUR" },
            available: 0,
          },
        ],
      }),
    ]);
    const usd = await list(`category=${category.slug}&currency=USD`);
    expect(usd.body.data[0]?.variants.map((variant) => variant.price)).toEqual([
      { amount: 2199, currency: "USD" },
      null,
    ]);
  });

  it("hides draft and archived products", async () => {
    const category = await createCategory();
    const active = await createProduct({ categoryId: category.id });
    await createProduct({ categoryId: category.id, status: "draft" });
    await createProduct({ categoryId: category.id, status: "archived" });
    const { body } = await list(`category=${category.slug}`);
    expect(body.data.map((product) => product.id)).toEqual([active.id]);
  });

  it("answers 404 for an unknown category slug", async () => {
    const { status, body } = await list("category=no-such-category-anywhere");
    expect(status).toBe(404);
    expect(body).toMatchObject({ status: 404 });
  });

  it.each([
    "limit=0",
    "limit=101",
    "limit=abc",
    "limit=1.5",
    "currency=GBP",
    "currency=eur",
    "sort=random",
    `category=${"x".repeat(101)}`,
  ])("rejects %s with a 400 problem", async (query) => {
    const { status, response } = await list(query);
    expect(status).toBe(400);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  });
});

describe("keyset pagination", () => {
  async function fiveProducts() {
    const category = await createCategory();
    const base = Date.now();
    // createdAt, title and price orders all differ, and two products tie on price
    const specs = [
      { title: "Delta", createdAt: base - 5000, eur: 300 },
      { title: "alpha", createdAt: base - 1000, eur: 100 },
      { title: "Echo", createdAt: base - 3000, eur: 300 },
      { title: "Charlie", createdAt: base - 2000, eur: 500 },
      { title: "Bravo", createdAt: base - 4000, eur: null },
    ];
    const created = [];
    for (const spec of specs)
      created.push({
        ...spec,
        ...(await createProduct({
          categoryId: category.id,
          title: spec.title,
          createdAt: spec.createdAt,
          variants: [{ eur: spec.eur }],
        })),
      });
    return { category, created };
  }

  async function walk(query: string, limit: number) {
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(
        `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(limit);
      titles.push(...page.body.data.map((product) => product.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    return titles;
  }

  it("walks every sort order page by page without skipping or repeating", async () => {
    const { category, created } = await fiveProducts();
    const byId = (titles: string[]) =>
      [...created]
        .filter((product) => titles.includes(product.title))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((product) => product.title);
    const tied = byId(["Delta", "Echo"]);
    expect(await walk(`category=${category.slug}&sort=newest`, 2)).toEqual([
      "alpha",
      "Charlie",
      "Echo",
      "Bravo",
      "Delta",
    ]);
    expect(await walk(`category=${category.slug}&sort=title`, 2)).toEqual([
      "Bravo",
      "Charlie",
      "Delta",
      "Echo",
      "alpha",
    ]);
    // the product without a EUR price sorts last both ways; price ties are broken by id
    expect(await walk(`category=${category.slug}&sort=price_asc`, 2)).toEqual(["alpha", ...tied, "Charlie", "Bravo"]);
    expect(await walk(`category=${category.slug}&sort=price_desc`, 1)).toEqual([
      "Charlie",
      ...[...tied].reverse(),
      "alpha",
      "Bravo",
    ]);
  });

  it("rejects a tampered cursor and a cursor made for another sort or currency with 400", async () => {
    const { category } = await fiveProducts();
    const first = await list(`category=${category.slug}&sort=price_asc&limit=2`);
    const cursor = first.body.nextCursor as string;
    const forged = btoa(JSON.stringify({ s: "newest", k: "'; DROP TABLE products; --", id: "x" })).replace(/=+$/, "");
    for (const query of [
      `cursor=${cursor.slice(0, -3)}zz`,
      "cursor=%%%",
      "cursor=not-base64!",
      `cursor=${forged}`,
      `cursor=${cursor}&sort=newest`,
      `cursor=${cursor}&sort=price_asc&currency=USD`,
      `cursor=${"A".repeat(600)}`,
    ]) {
      const { status } = await list(`category=${category.slug}&${query}`);
      expect(status, query).toBe(400);
    }
  });
});

describe("full-text search (q)", () => {
  it("finds products by words of the title or description, the last word as a prefix", async () => {
    const word = `zorbl${Date.now().toString(36)}`;
    const hit = await createProduct({ title: `Merino ${word} Sweater`, description: "Warm and soft" });
    const other = await createProduct({ description: `A ${word}-free description about socks` });
    await createProduct({ title: `Draft ${word}`, status: "draft" });
    expect((await list(`q=${word}`)).body.data.map((p) => p.id).sort()).toEqual([hit.id, other.id].sort());
    expect((await list(`q=${word} sweater`)).body.data.map((p) => p.id)).toEqual([hit.id]);
    expect((await list(`q=${word.slice(0, -2)}`)).body.data.map((p) => p.id).sort()).toEqual([hit.id, other.id].sort());
    // operators and syntax are plain text: `OR` is a word to find, `"`, `:` and `^` are separators
    expect((await list(`q=${encodeURIComponent(`"${word}":sweater^`)}`)).body.data.map((p) => p.id)).toEqual([hit.id]);
    expect((await list(`q=${encodeURIComponent(`${word} OR warm`)}`)).body.data).toEqual([]);
  });

  it.each([
    `"`,
    `""""`,
    "'",
    "%",
    "_",
    "%_%",
    "*",
    "^",
    ":",
    "(",
    ")",
    "()",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(a b, 3)",
    "a AND",
    "OR OR",
    "title:x",
    "-x",
    "x*",
    "^x",
    '"unterminated',
    'a" OR "b',
    "'; DROP TABLE products; --",
    "\u0000",
    "😀",
    "日本語",
    "x".repeat(200),
  ])("answers 200 for the hostile query %j", async (q) => {
    const { status } = await list(`q=${encodeURIComponent(q)}`);
    expect(status).toBe(200);
  });

  it("rejects a 3,000-character query with 400", async () => {
    const { status } = await list(`q=${"a ".repeat(1500)}`);
    expect(status).toBe(400);
  });
});

describe("GET /v1/products/{idOrSlug}", () => {
  it("answers one active product by id and by slug", async () => {
    const product = await createProduct({ variants: [{ eur: 500, usd: 600 }] });
    const byId = await callJson<ProductView>(`/v1/products/${product.id}`, fresh);
    const bySlug = await callJson<ProductView>(`/v1/products/${product.slug}?currency=USD`, fresh);
    expect(byId.status).toBe(200);
    expect(byId.body.slug).toBe(product.slug);
    expect(bySlug.body.id).toBe(product.id);
    expect(bySlug.body.variants[0]?.price).toEqual({ amount: 600, currency: "USD" });
  });

  it("answers 404 for unknown, draft and archived products", async () => {
    const draft = await createProduct({ status: "draft" });
    const archived = await createProduct({ status: "archived" });
    for (const idOrSlug of ["no-such-product", draft.id, draft.slug, archived.slug, "%25", "x".repeat(200)]) {
      const { status } = await callJson(`/v1/products/${idOrSlug}`, fresh);
      expect(status, idOrSlug).toBe(404);
    }
    expect((await callJson(`/v1/products/${draft.slug}?currency=XXX`, fresh)).status).toBe(400);
  });
});

describe("GET /v1/categories", () => {
  it("lists categories with their parent", async () => {
    const parent = await createCategory();
    const child = await createCategory({ parentId: parent.id });
    const { status, body } = await callJson<{ data: { id: string; parentId: string | null }[] }>(
      "/v1/categories",
      fresh,
    );
    expect(status).toBe(200);
    expect(body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: child.id, parentId: parent.id }),
        expect.objectContaining({ id: parent.id, parentId: null }),
      ]),
    );
  });
});

describe("OpenAPI", () => {
  it("declares every catalog route", async () => {
    const { status, body } = await callJson<{ paths: Record<string, unknown> }>("/openapi.json");
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        "/v1/products",
        "/v1/products/{idOrSlug}",
        "/v1/categories",
        "/v1/admin/products",
        "/v1/admin/products/{id}",
        "/v1/admin/products/{id}/variants/{sku}",
        "/v1/admin/categories",
      ]),
    );
  });
});
