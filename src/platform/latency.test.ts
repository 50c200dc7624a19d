import { describe, expect, it } from "vitest";
import { LatencyRecorder } from "./latency";

describe("LatencyRecorder", () => {
  it("reports percentiles within the histogram's 10% resolution", () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms++) recorder.record("GET /v1/products", ms);
    const [products] = recorder.snapshot();
    expect(products?.count).toBe(100);
    expect(products?.p50).toBeGreaterThanOrEqual(50);
    expect(products?.p50).toBeLessThanOrEqual(55);
    expect(products?.p95).toBeGreaterThanOrEqual(95);
    expect(products?.p99).toBeLessThanOrEqual(100);
    expect(products?.max).toBe(100);
  });

  it("keeps routes apart and handles sub-resolution and huge durations", () => {
    const recorder = new LatencyRecorder();
    recorder.record("GET /health", 0.001);
    recorder.record("POST /v1/checkout", 10 * 60_000);
    const byRoute = Object.fromEntries(recorder.snapshot().map((r) => [r.route, r]));
    expect(byRoute["GET /health"]?.p99).toBeLessThanOrEqual(0.05);
    expect(byRoute["POST /v1/checkout"]?.p50).toBe(600_000);
  });
});
