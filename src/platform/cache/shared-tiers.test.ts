// One contract suite for every shared tier (Cache API, KV): they must be interchangeable.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SharedTier } from "./cache-entry";
import { edgeTier, kvTier } from "./shared-tiers";

const tiers: [string, () => SharedTier][] = [
  ["edge (Cache API)", () => edgeTier(caches.default, 10)],
  ["kv", () => kvTier(env.CACHE)],
];

describe.each(tiers)("shared tier %s", (_name, make) => {
  const key = () => `test:v1:/v1/products?k=${crypto.randomUUID()}`;

  it("returns what was put, body, ETag and readAt intact", async () => {
    const tier = make();
    const entry = { body: '{"data":["é",1]}', etag: '"abc"', readAt: 1_700_000_000_123 };
    const k = key();
    await tier.put(k, entry);
    expect(await tier.get(k)).toEqual(entry);
  });

  it("misses a key never put", async () => {
    expect(await make().get(key())).toBeNull();
  });

  it("keeps keys apart (a new version is a different key)", async () => {
    const tier = make();
    const k = key();
    await tier.put(k, { body: "old", etag: '"1"', readAt: 1 });
    expect(await tier.get(k.replace(":v1:", ":v2:"))).toBeNull();
  });
});
