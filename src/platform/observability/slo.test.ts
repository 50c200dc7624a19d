import { describe, expect, it } from "vitest";
import { burnRate, SloRecorder, sloStatus } from "./slo";

const thresholds = { fastBurn1h: 14.4, fastBurn6h: 6, minRequests: 20 };

describe("SLO arithmetic", () => {
  it("burn rate is the bad share over the allowed bad share", () => {
    expect(burnRate({ total: 1000, bad: 1 }, 0.999)).toBeCloseTo(1);
    expect(burnRate({ total: 1000, bad: 50 }, 0.99)).toBeCloseTo(5);
    expect(burnRate({ total: 0, bad: 0 }, 0.99)).toBe(0);
  });

  it("computes attainment, error budget remaining and both burn rates on fixed counts", () => {
    const status = sloStatus(0.99, { total: 100, bad: 20 }, { total: 1000, bad: 25 }, thresholds);
    expect(status).toEqual({
      target: 0.99,
      attainment: 0.975,
      errorBudgetRemaining: -1.5,
      burnRate1h: 20,
      burnRate6h: 2.5,
      requests1h: 100,
      requests6h: 1000,
      fastBurn: false,
    });
  });

  it("a fast burn needs both windows over their thresholds", () => {
    expect(sloStatus(0.99, { total: 100, bad: 20 }, { total: 600, bad: 60 }, thresholds).fastBurn).toBe(true);
    expect(sloStatus(0.99, { total: 100, bad: 10 }, { total: 600, bad: 60 }, thresholds).fastBurn).toBe(false);
  });

  it("no alert from a handful of requests", () => {
    expect(sloStatus(0.99, { total: 5, bad: 5 }, { total: 5, bad: 5 }, thresholds).fastBurn).toBe(false);
  });

  it("an idle SLO is fully attained with its whole budget", () => {
    expect(sloStatus(0.999, { total: 0, bad: 0 }, { total: 0, bad: 0 }, thresholds)).toMatchObject({
      attainment: 1,
      errorBudgetRemaining: 1,
      burnRate1h: 0,
    });
  });

  it("counts requests in minute buckets: the 1 h window forgets what the 6 h window keeps", () => {
    const clock = { now: 10 * 3_600_000 };
    const recorder = new SloRecorder(() => clock.now);
    recorder.record("checkout", true, false);
    recorder.record("checkout", false, true);
    clock.now += 2 * 3_600_000;
    recorder.record("checkout", false, false);
    const availability = recorder.status("checkout", "availability", 0.9, thresholds);
    expect(availability).toMatchObject({ requests1h: 1, requests6h: 3, burnRate1h: 0 });
    expect(availability.attainment).toBeCloseTo(2 / 3, 3);
    expect(recorder.status("checkout", "latency", 0.9, thresholds).attainment).toBeCloseTo(2 / 3, 3);
    clock.now += 6 * 3_600_000;
    expect(recorder.status("checkout", "availability", 0.9, thresholds)).toMatchObject({
      requests1h: 0,
      requests6h: 0,
    });
  });
});
