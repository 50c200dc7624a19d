/**
 * Tiered cache-aside for public GET reads, as one middleware in front of the route (a memory hit skips
 * validation and the handler): memory → version read (D1) → shared tiers under `<ns>:v<version>:<url>`
 * → the handler, whose answer fills every tier. Every answer gets a strong ETag, Cache-Control, a 304
 * when If-None-Match matches, and its tier in Server-Timing; `Motor-Cache: bypass` is obeyed for staff
 * only. Why each choice: docs/catalog.md, "Caching".
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../context";
import { isFresh, type CacheEntry, type SharedTier } from "./cache-entry";
import { etagOf, ifNoneMatchHits } from "./etag";
import type { MemoryTier } from "./memory-tier";

export const BYPASS_HEADER = "Motor-Cache";
/** Longer keys are not cached at all: nobody fills memory or KV with megabyte keys. */
export const MAX_KEY_LENGTH = 512;
const CACHEABLE_METHODS = new Set(["GET", "HEAD"]);

export interface CachedReadOptions {
  namespace: string;
  memory: MemoryTier;
  /** An entry whose data was read longer ago than this is never served, whatever the tier. */
  maxAgeMs: number;
  /** The HTTP Cache-Control header of every answer (and 304). */
  cacheControl: string;
  /** The current data version, read from a store consistent enough to invalidate at once. */
  version: (c: Context<AppBindings>) => Promise<number>;
  sharedTiers: (c: Context<AppBindings>) => SharedTier[];
  /** The normalised key of a request, or null when it should not be cached (invalid input). */
  cacheKey: (c: Context<AppBindings>) => string | null;
  /** Who may send `Motor-Cache: bypass` and be obeyed. */
  mayBypass: (c: Context<AppBindings>) => boolean;
}

export function cachedRead(options: CachedReadOptions) {
  const { memory, maxAgeMs, cacheControl } = options;

  const answer = (c: Context<AppBindings>, entry: CacheEntry) => {
    const headers = { ETag: entry.etag, "Cache-Control": cacheControl };
    if (ifNoneMatchHits(c.req.header("If-None-Match"), entry.etag)) return c.body(null, 304, headers);
    return c.body(entry.body, 200, { ...headers, "Content-Type": "application/json" });
  };

  return createMiddleware<AppBindings>(async function cachedRead(c, next) {
    if (!CACHEABLE_METHODS.has(c.req.method)) return next();
    const key = options.cacheKey(c);
    const timings = c.get("timings");
    if (key === null || key.length > MAX_KEY_LENGTH) return next();
    const bypass = c.req.header(BYPASS_HEADER) === "bypass" && options.mayBypass(c);

    if (!bypass) {
      const hit = memory.get(key);
      if (hit) {
        timings.describe("cache", "memory");
        return answer(c, hit);
      }
    }
    // Read the version BEFORE the data: data stored under an older version is at worst newer
    // than its key says, never older.
    const readAt = Date.now();
    const sharedKey = bypass ? "" : `${options.namespace}:v${await options.version(c)}:${key}`;
    const tiers = bypass ? [] : options.sharedTiers(c);
    for (const [index, tier] of tiers.entries()) {
      const entry = await timings.time("cache", () => tier.get(sharedKey).catch(() => null));
      if (entry && isFresh(entry, Date.now(), maxAgeMs)) {
        timings.describe("cache", tier.name);
        memory.set(key, entry);
        background(
          c,
          tiers.slice(0, index).map((upper) => upper.put(sharedKey, entry)),
        );
        return answer(c, entry);
      }
    }

    timings.describe("cache", "miss");
    await next();
    if (c.res.status !== 200) return;
    const body = await c.res.clone().text();
    const entry = { body, etag: await etagOf(body), readAt };
    if (!bypass) {
      memory.set(key, entry);
      background(
        c,
        tiers.map((tier) => tier.put(sharedKey, entry)),
      );
    }
    c.res = answer(c, entry);
  });
}

/** Cache fills never delay or fail the answer: a failed put is only a later miss. */
function background(c: Context<AppBindings>, work: Promise<unknown>[]): void {
  if (work.length === 0) return;
  const settled = Promise.allSettled(work);
  try {
    c.executionCtx.waitUntil(settled);
  } catch {
    // no execution context (app.request in tests): the promise still runs to completion
  }
}
