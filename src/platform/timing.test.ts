import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ServerTimings, timedD1 } from "./timing";

describe("ServerTimings", () => {
  it("sums time per dependency and renders one entry each plus the total", async () => {
    const timings = new ServerTimings();
    timings.add("d1", 1.5);
    timings.add("d1", 2);
    timings.add("kv", 0.25);
    timings.describe("cache", "memory");
    expect(timings.count("d1")).toBe(2);
    expect(timings.header(10)).toBe('d1;dur=3.5, kv;dur=0.3, cache;dur=0.0;desc="memory", total;dur=10.0');
  });

  it("records the time even when the work throws", async () => {
    const timings = new ServerTimings();
    await expect(
      timings.time("payment", async () => {
        throw new Error("down");
      }),
    ).rejects.toThrow("down");
    expect(timings.count("payment")).toBe(1);
  });
});

describe("timedD1", () => {
  it("counts every statement and batch run through the binding, and still returns real results", async () => {
    const timings = new ServerTimings();
    const db = timedD1(env.DB, timings);
    const row = await db.prepare("SELECT ?1 AS value").bind(7).first<{ value: number }>();
    expect(row?.value).toBe(7);
    const results = await db.batch([db.prepare("SELECT 1 AS a"), db.prepare("SELECT 2 AS b")]);
    expect(results).toHaveLength(2);
    expect(timings.count("d1")).toBe(2);
  });
});
