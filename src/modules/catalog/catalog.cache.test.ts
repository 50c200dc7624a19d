import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../../test/helpers/http";
import { catalogVersion } from "../../db/schema";
import { edgeTier, kvTier } from "../../platform/cache/shared-tiers";
import { catalogMemory, DATA_MAX_AGE_MS } from "./catalog.memory";
import { createProduct, testDb } from "./catalog.fixtures";
import { createUser } from "../../../test/helpers/auth";
import { readCatalogVersion } from "./catalog.repository";
import type { ProductView } from "./catalog.schemas";

const tierOf = (response: Response) =>
  /cache;[^,]*desc="([a-z]+)"/.exec(response.headers.get("Server-Timing") ?? "")?.[1];
const d1Calls = (response: Response) => /(?:^|, )d1;/.test(response.headers.get("Server-Timing") ?? "");

async function bumpVersionElsewhere() {
  // what a write in another isolate does: the version moves, this isolate's memory does not know
  const db = testDb();
  const version = await readCatalogVersion(db);
  await db
    .insert(catalogVersion)
    .values({ id: 1, version: version + 1 })
    .onConflictDoUpdate({ target: catalogVersion.id, set: { version: version + 1 } });
}

describe("catalog read cache", () => {
  it("answers a miss from D1, then from memory without any D1 query, with the same body and ETag", async () => {
    const product = await createProduct();
    const path = `/v1/products/${product.slug}`;
    const first = await call(path);
    const second = await call(path);
    expect([tierOf(first), tierOf(second)]).toEqual(["miss", "memory"]);
    expect(d1Calls(second)).toBe(false);
    expect(second.headers.get("ETag")).toBe(first.headers.get("ETag"));
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("Content-Type")).toContain("application/json");
  });

  it("falls back to the edge tier, then to KV, when the tiers above are empty", async () => {
    const product = await createProduct();
    const path = `/v1/products/${product.slug}?currency=USD`;
    const miss = await call(path);
    expect(tierOf(miss)).toBe("miss");
    await new Promise((resolve) => setTimeout(resolve, 50)); // shared fills run after the answer
    catalogMemory.clear();
    const edge = await call(path);
    expect(tierOf(edge)).toBe("edge");
    catalogMemory.clear();
    await caches.default.delete(
      `https://cache.motor.internal/${encodeURIComponent(`catalog:v${await readCatalogVersion(testDb())}:${path}`)}`,
    );
    const kv = await call(path);
    expect(tierOf(kv)).toBe("kv");
    expect(kv.headers.get("ETag")).toBe(miss.headers.get("ETag"));
  });

  it("answers 304 to a matching If-None-Match, from memory and from a miss", async () => {
    const product = await createProduct();
    const path = `/v1/products/${product.id}`;
    const first = await call(path);
    const etag = first.headers.get("ETag") as string;
    // fetch() adds Cache-Control: no-cache to conditional requests: still answered from memory
    const cached = await call(path, { headers: { "If-None-Match": etag, "Cache-Control": "no-cache" } });
    expect([cached.status, tierOf(cached)]).toEqual([304, "memory"]);
    expect(cached.headers.get("ETag")).toBe(etag);
    expect(await cached.text()).toBe("");
    catalogMemory.clear();
    await bumpVersionElsewhere();
    const recomputed = await call(path, { headers: { "If-None-Match": `"other", W/${etag}` } });
    expect([recomputed.status, tierOf(recomputed)]).toEqual([304, "miss"]);
    expect((await call(path, { headers: { "If-None-Match": '"other"' } })).status).toBe(200);
  });

  it("puts ETag and Cache-Control with stale-while-revalidate on every catalog read", async () => {
    for (const path of ["/v1/products?limit=3", "/v1/categories", `/v1/products/${(await createProduct()).slug}`]) {
      const response = await call(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("ETag"), path).toMatch(/^"[0-9a-f]{32}"$/);
      expect(response.headers.get("Cache-Control"), path).toBe("public, max-age=2, stale-while-revalidate=3");
    }
  });

  it("skips every tier for staff sending Motor-Cache: bypass and stores nothing", async () => {
    const product = await createProduct();
    const staff = await createUser("staff");
    const path = `/v1/products/${product.slug}?currency=EUR`;
    const bypass = await call(path, { headers: { "Motor-Cache": "bypass" }, token: staff.token });
    expect(tierOf(bypass)).toBe("miss");
    expect(tierOf(await call(path))).toBe("miss");
  });

  it.each([
    ["an anonymous caller", undefined],
    ["a customer", "customer"],
  ] as const)("ignores Motor-Cache: bypass from %s (no D1 work on demand)", async (_who, role) => {
    const product = await createProduct();
    const path = `/v1/products/${product.slug}`;
    await call(path);
    const token = role ? (await createUser(role)).token : undefined;
    const forced = await call(path, { headers: { "Motor-Cache": "bypass" }, token });
    expect(tierOf(forced)).toBe("memory");
    expect(d1Calls(forced)).toBe(false);
  });

  it("serves only GET and HEAD from the cache: DELETE on a cached path is a 404, not the cached 200", async () => {
    await call("/v1/categories");
    expect(tierOf(await call("/v1/categories"))).toBe("memory");
    for (const method of ["DELETE", "PUT", "PATCH", "POST"]) {
      const response = await call("/v1/categories", { method });
      expect(response.status, method).toBe(404);
      expect(tierOf(response), method).toBeUndefined();
    }
    expect(tierOf(await call("/v1/categories", { method: "HEAD" }))).toBe("memory");
  });

  it("unknown query parameters and other spellings of the same query share one cache entry", async () => {
    const product = await createProduct();
    const path = `/v1/products/${product.slug}`;
    expect(tierOf(await call(`${path}?currency=EUR`))).toBe("miss");
    for (const variant of [
      path,
      `${path}?currency=EUR&utm=${crypto.randomUUID()}`,
      `${path}?buster=${crypto.randomUUID()}`,
      `/v1/%70roducts/${product.slug}`,
    ]) {
      expect(tierOf(await call(variant)), variant).toBe("memory");
    }
  });

  it("caches nothing for a query the route refuses, nor for an over-long key", async () => {
    const refused = await call("/v1/products?limit=1000");
    expect(refused.status).toBe(400);
    expect(tierOf(await call("/v1/products?limit=1000"))).toBeUndefined();
    // 150 × "é" is a valid search (≤ 200 characters) whose encoded key passes MAX_KEY_LENGTH
    const long = `/v1/products?q=${encodeURIComponent("é".repeat(150))}`;
    expect((await call(long)).status).toBe(200);
    expect(tierOf(await call(long))).toBeUndefined();
  });

  it("a version bump elsewhere makes the shared tiers miss once memory expires", async () => {
    const product = await createProduct();
    const path = `/v1/products/${product.slug}`;
    await call(path);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await bumpVersionElsewhere();
    expect(tierOf(await call(path))).toBe("memory"); // memory trusts itself for its short TTL
    catalogMemory.clear(); // = the TTL has run out
    expect(tierOf(await call(path))).toBe("miss");
  });

  it("does not cache errors", async () => {
    const first = await call("/v1/products/never-existed-here");
    const second = await call("/v1/products/never-existed-here");
    expect([first.status, second.status]).toEqual([404, 404]);
    expect(tierOf(second)).toBe("miss");
  });

  it("never serves a shared entry whose data is older than the availability bound", async () => {
    const product = await createProduct({ variants: [{ onHand: 4 }] });
    const path = `/v1/products/${product.slug}`;
    const key = `catalog:v${await readCatalogVersion(testDb())}:${path}`;
    const stale = { body: '{"stale":true}', etag: '"stale"', readAt: Date.now() - DATA_MAX_AGE_MS - 1 };
    await Promise.all([edgeTier(caches.default, 60).put(key, stale), kvTier(env.CACHE).put(key, stale)]);
    const response = await call(path);
    expect(tierOf(response)).toBe("miss");
    expect(((await response.json()) as ProductView).variants[0]?.available).toBe(4);
  });
});
