/**
 * Tier 2: the shared caches, both cache-aside with VERSIONED keys and immutable values, so they
 * never need purging: a catalog write bumps the version and older keys become unreachable.
 * - edge: the Cache API (`caches.default`), per data centre, fast; a no-op on workers.dev hosts.
 * - kv: Workers KV, global but eventually consistent (~60 s); fine here because a key's value
 *   never changes, and an unseen new key is only a miss.
 * Neither can express a TTL under 60 s reliably (KV's minimum expirationTtl is 60 s), so the
 * freshness of an entry is checked by its `readAt` on the way out (cached-read.ts).
 */
import type { CacheEntry, SharedTier } from "./cache-entry";

const KV_MIN_TTL_S = 60;
const EDGE_URL = "https://cache.motor.internal/";

export function edgeTier(cache: Cache, ttlSeconds: number): SharedTier {
  const urlOf = (key: string) => EDGE_URL + encodeURIComponent(key);
  return {
    name: "edge",
    async get(key) {
      const response = await cache.match(urlOf(key));
      if (!response) return null;
      const readAt = Number(response.headers.get("X-Read-At"));
      const etag = response.headers.get("X-Etag");
      if (!Number.isFinite(readAt) || !etag) return null;
      return { body: await response.text(), etag, readAt };
    },
    async put(key, entry) {
      const headers = {
        "Cache-Control": `max-age=${ttlSeconds}`,
        "Content-Type": "application/json",
        "X-Etag": entry.etag,
        "X-Read-At": String(entry.readAt),
      };
      await cache.put(urlOf(key), new Response(entry.body, { headers }));
    },
  };
}

interface KvMetadata {
  etag: string;
  readAt: number;
}

export function kvTier(kv: KVNamespace): SharedTier {
  return {
    name: "kv",
    async get(key) {
      const { value, metadata } = await kv.getWithMetadata<KvMetadata>(key, "text");
      if (value === null || !metadata || typeof metadata.etag !== "string" || typeof metadata.readAt !== "number")
        return null;
      return { body: value, etag: metadata.etag, readAt: metadata.readAt };
    },
    async put(key, entry: CacheEntry) {
      await kv.put(key, entry.body, {
        expirationTtl: KV_MIN_TTL_S,
        metadata: { etag: entry.etag, readAt: entry.readAt },
      });
    },
  };
}
