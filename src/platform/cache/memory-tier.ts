/**
 * Tier 1: an in-isolate Map of serialized answers. A hit does no I/O at all; it trusts itself for
 * `ttlMs` (the staleness bound after a write made in ANOTHER isolate; a write in this isolate
 * calls clear()). Bounded by total body size, oldest entry evicted first, so hostile unique URLs
 * cannot grow it without limit.
 */
import type { CacheEntry } from "./cache-entry";

interface MemoryEntry extends CacheEntry {
  expiresAt: number;
}

export interface MemoryTierOptions {
  ttlMs: number;
  /** Entries are also dropped when their data is older than this (see cache-entry.ts). */
  maxAgeMs: number;
  maxBytes: number;
  now?: () => number;
}

export class MemoryTier {
  private readonly entries = new Map<string, MemoryEntry>();
  private bytes = 0;
  private readonly now: () => number;

  constructor(private readonly options: MemoryTierOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() < entry.expiresAt) return entry;
    this.remove(key, entry);
    return undefined;
  }

  set(key: string, entry: CacheEntry): void {
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    if (entry.body.length > this.options.maxBytes) return;
    const expiresAt = Math.min(this.now() + this.options.ttlMs, entry.readAt + this.options.maxAgeMs);
    this.entries.set(key, { body: entry.body, etag: entry.etag, readAt: entry.readAt, expiresAt });
    this.bytes += entry.body.length;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.remove(oldestKey, oldest);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string, entry: MemoryEntry): void {
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }
}
