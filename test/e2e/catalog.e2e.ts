import { describe, expect, it } from "vitest";
import { request } from "./http";

interface Product {
  id: string;
  slug: string;
  title: string;
  categories: { slug: string }[];
  variants: { sku: string; price: { amount: number; currency: string } | null; available: number }[];
}
type Page = { data: Product[]; nextCursor: string | null };
const tierOf = (headers: Headers) => /cache;[^,]*desc="([a-z]+)"/.exec(headers.get("server-timing") ?? "")?.[1];

describe("the catalog over HTTP (seeded demo data)", () => {
  it("pages through all 24 demo products with prices and availability, without repeats", async () => {
    const seen: Product[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await request(`/v1/products?limit=10${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      const page = body as unknown as Page;
      seen.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((product) => product.id)).size).toBe(24);
    for (const product of seen) {
      expect(product.variants.length).toBeGreaterThan(0);
      for (const variant of product.variants) {
        expect(variant.price?.currency).toBe("EUR");
        expect(variant.available).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("filters by category, searches with FTS5 and sorts by price", async () => {
    const apparel = (await request("/v1/products?category=apparel")).body as unknown as Page;
    expect(apparel.data).toHaveLength(5);
    // the seeded tree: Apparel › T-shirts, Hoodies; a parent's list includes its children's products
    expect(
      apparel.data.every((product) =>
        product.categories.some((category) => ["apparel", "t-shirts", "hoodies"].includes(category.slug)),
      ),
    ).toBe(true);
    expect(apparel.data.map((product) => product.slug)).toEqual(expect.arrayContaining(["classic-tee", "hoodie"]));
    const hoodies = (await request("/v1/products?category=hoodies")).body as unknown as Page;
    expect(hoodies.data.map((product) => product.slug)).toEqual(["hoodie"]);
    const search = (await request("/v1/products?q=merino%20SWEAT")).body as unknown as Page;
    expect(search.data.map((product) => product.slug)).toEqual(["merino-sweater"]);
    const cheapest = (await request("/v1/products?sort=price_asc&limit=1&currency=USD")).body as unknown as Page;
    expect(cheapest.data[0]?.slug).toBe("notebook");
  });

  it("answers hostile and malformed input with 4xx, never 5xx", async () => {
    for (const query of [
      "q=%22%20OR%20*%20NEAR(",
      "q=%25_%25",
      `q=${"a".repeat(3000)}`,
      "limit=0",
      "limit=101",
      "limit=abc",
      "cursor=eyJ4Ijox",
      "currency=JPY",
      "category=nope",
    ]) {
      const { status } = await request(`/v1/products?${query}`);
      expect(status, query).toBeGreaterThanOrEqual(200);
      expect(status, query).toBeLessThan(500);
    }
    expect((await request("/v1/products/no-such-product")).status).toBe(404);
  });

  it("serves one product from the cache with ETag, 304 and the tier in Server-Timing", async () => {
    const first = await request("/v1/products/classic-tee");
    expect(first.status).toBe(200);
    expect((first.body as unknown as Product).variants.map((variant) => variant.sku)).toContain("CLASSIC-TEE-M");
    const etag = first.headers.get("etag") as string;
    expect(first.headers.get("cache-control")).toContain("stale-while-revalidate");
    const again = await request("/v1/products/classic-tee", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(["memory", "edge", "kv"]).toContain(tierOf(again.headers));
  });

  it("lets the local admin create and publish a product that the next public read shows", async () => {
    const login = await request("/v1/auth/login", {
      method: "POST",
      json: { email: "admin@motor.local", password: "motor-admin-local" },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    const slug = `e2e-${Date.now()}`;
    const created = await request("/v1/admin/products", {
      method: "POST",
      token,
      json: {
        slug,
        title: "E2E Lamp",
        status: "active",
        categoryIds: ["cat_home"],
        variants: [{ sku: slug.toUpperCase(), title: "Lamp", prices: [{ currency: "EUR", amount: 4200 }] }],
      },
    });
    expect(created.status).toBe(201);
    const home = (await request("/v1/products?category=home&limit=100")).body as unknown as Page;
    expect(home.data.map((product) => product.slug)).toContain(slug);
    const archived = await request(`/v1/admin/products/${created.body.id as string}`, {
      method: "PATCH",
      token,
      json: { status: "archived" },
    });
    expect(archived.status).toBe(200);
    expect((await request(`/v1/products/${slug}`)).status).toBe(404);
  });
});
