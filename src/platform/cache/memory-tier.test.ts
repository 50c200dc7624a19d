import { describe, expect, it } from "vitest";
import { isFresh } from "./cache-entry";
import { etagOf, ifNoneMatchHits } from "./etag";
import { MemoryTier } from "./memory-tier";

function tier(options: Partial<{ ttlMs: number; maxAgeMs: number; maxBytes: number }> = {}) {
  const clock = { now: 1_000_000 };
  const memory = new MemoryTier({ ttlMs: 5_000, maxAgeMs: 10_000, maxBytes: 1_000, ...options, now: () => clock.now });
  return { memory, clock };
}

describe("MemoryTier", () => {
  it("serves an entry for its TTL, then forgets it", () => {
    const { memory, clock } = tier();
    memory.set("k", { body: "b", etag: '"e"', readAt: clock.now });
    clock.now += 4_999;
    expect(memory.get("k")?.body).toBe("b");
    clock.now += 1;
    expect(memory.get("k")).toBeUndefined();
  });

  it("never serves data older than maxAge, even when it arrived late from a shared tier", () => {
    const { memory, clock } = tier();
    memory.set("k", { body: "b", etag: '"e"', readAt: clock.now - 8_000 });
    clock.now += 1_999;
    expect(memory.get("k")).toBeDefined();
    clock.now += 1;
    expect(memory.get("k")).toBeUndefined();
  });

  it("evicts the oldest entries past its byte budget and refuses entries larger than it", () => {
    const { memory, clock } = tier({ maxBytes: 10 });
    memory.set("a", { body: "aaaa", etag: "1", readAt: clock.now });
    memory.set("b", { body: "bbbb", etag: "2", readAt: clock.now });
    memory.set("c", { body: "cccc", etag: "3", readAt: clock.now });
    expect([memory.get("a"), memory.get("b")?.body, memory.get("c")?.body]).toEqual([undefined, "bbbb", "cccc"]);
    memory.set("huge", { body: "x".repeat(11), etag: "4", readAt: clock.now });
    expect(memory.get("huge")).toBeUndefined();
  });

  it("clear() drops everything at once", () => {
    const { memory, clock } = tier();
    memory.set("k", { body: "b", etag: '"e"', readAt: clock.now });
    memory.clear();
    expect(memory.size).toBe(0);
  });
});

describe("freshness and ETags", () => {
  it("isFresh compares the data's age with the bound", () => {
    expect(isFresh({ body: "", etag: "", readAt: 0 }, 9_999, 10_000)).toBe(true);
    expect(isFresh({ body: "", etag: "", readAt: 0 }, 10_000, 10_000)).toBe(false);
  });

  it("derives a strong ETag from the body bytes", async () => {
    const etag = await etagOf("{}");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await etagOf("{}")).toBe(etag);
    expect(await etagOf("{ }")).not.toBe(etag);
  });

  it("matches If-None-Match lists, weak forms and *", () => {
    expect(ifNoneMatchHits('"x", "abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchHits("*", '"abc"')).toBe(true);
    expect(ifNoneMatchHits('"abcd"', '"abc"')).toBe(false);
    expect(ifNoneMatchHits(undefined, '"abc"')).toBe(false);
  });
});
