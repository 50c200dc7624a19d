/**
 * The catalog's cache tiers (memory, then edge and KV keyed by the catalog version read from D1),
 * their staleness bounds, and its cache keys: the decoded path plus the query as the route's own
 * schema reads it, so spellings of one answer share an entry and a query the route would refuse is
 * not cached. Only staff may bypass the cache. Each bound and why: docs/catalog.md, "Caching".
 */
import type { Context } from "hono";
import { cachedRead } from "../../platform/cache/cached-read";
import { edgeTier, kvTier } from "../../platform/cache/shared-tiers";
import type { AppBindings } from "../../platform/context";
import * as z from "zod";
import { can } from "../identity/permissions";
import { currencyQuerySchema, listProductsQuerySchema } from "./catalog.schemas";
import { catalogMemory, DATA_MAX_AGE_MS } from "./catalog.memory";
import { readCatalogVersion } from "./catalog.repository";

export const HTTP_CACHE_CONTROL = "public, max-age=2, stale-while-revalidate=3";

export const catalogReadCache = cachedRead({
  namespace: "catalog",
  memory: catalogMemory,
  maxAgeMs: DATA_MAX_AGE_MS,
  cacheControl: HTTP_CACHE_CONTROL,
  version: (c: Context<AppBindings>) => readCatalogVersion(c.get("db")),
  sharedTiers: (c: Context<AppBindings>) => [edgeTier(caches.default, DATA_MAX_AGE_MS / 1000), kvTier(c.env.CACHE)],
  cacheKey: catalogCacheKey,
  mayBypass: (c: Context<AppBindings>) => {
    const caller = c.get("caller");
    return caller !== undefined && can(caller.role, "catalog:write");
  },
});

const noQuery = z.object({});

export function catalogCacheKey(c: Context<AppBindings>): string | null {
  const path = c.req.path;
  const schema =
    path === "/v1/products" ? listProductsQuerySchema : path === "/v1/categories" ? noQuery : currencyQuerySchema;
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) return null;
  const entries = Object.entries(parsed.data as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([name, value]) => [name, String(value)]);
  return `${path}?${new URLSearchParams(entries).toString()}`;
}
