/**
 * What every cache tier stores: the serialized JSON body (never objects to re-serialize), its
 * ETag and `readAt`, the time the data was read from D1. `readAt` travels with the entry from tier
 * to tier, so the freshness bound holds end to end: an entry copied from KV into memory keeps the
 * age it already had.
 */
export interface CacheEntry {
  body: string;
  etag: string;
  /** Epoch ms of the D1 read that produced `body`. */
  readAt: number;
}

/** A shared tier (Cache API, KV): versioned keys, immutable values. */
export interface SharedTier {
  readonly name: "edge" | "kv";
  get(key: string): Promise<CacheEntry | null>;
  put(key: string, entry: CacheEntry): Promise<void>;
}

export function isFresh(entry: CacheEntry, now: number, maxAgeMs: number): boolean {
  return now - entry.readAt < maxAgeMs;
}
