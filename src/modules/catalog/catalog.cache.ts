/**
 * The catalog's cache tiers and their staleness bounds (docs/catalog.md explains each):
 * - memory: 5 s per isolate, cleared at once by a write in the same isolate;
 * - edge (Cache API) then KV: keyed by the catalog version read from D1, so a write invalidates
 *   them at once for the next reader;
 * - every tier serves data at most 10 s old, and browsers/CDNs may keep it 2 s + 3 s stale, so
 *   `available` catches up with a stock change within 15 s end to end.
 */
import type { Context } from "hono";
import { cachedRead } from "../../platform/cache/cached-read";
import { edgeTier, kvTier } from "../../platform/cache/shared-tiers";
import type { AppBindings } from "../../platform/context";
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
});
