/**
 * The catalog's in-isolate memory tier, on its own so that services (which never import hono)
 * can clear it after a write: a write in THIS isolate is visible to its next read at once.
 */
import { MemoryTier } from "../../platform/cache/memory-tier";

export const MEMORY_TTL_MS = 5_000;
/** No tier serves catalog data read from D1 longer ago than this (the `available` bound, with HTTP's 5 s). */
export const DATA_MAX_AGE_MS = 10_000;

export const catalogMemory = new MemoryTier({
  ttlMs: MEMORY_TTL_MS,
  maxAgeMs: DATA_MAX_AGE_MS,
  maxBytes: 8 * 1024 * 1024,
});
