import { describe, expect, it } from "vitest";
import { available, gcra } from "./rate-limits.gcra";

const policy = { limit: 5, windowSeconds: 60 };

describe("GCRA", () => {
  it("allows a burst of `limit`, then denies with the wait until one unit refills", () => {
    let tat = 0;
    const now = 1_000_000;
    for (let used = 1; used <= 5; used += 1) {
      const step = gcra(policy, tat, now, 1);
      expect(step.decision).toMatchObject({ allowed: true, remaining: 5 - used });
      tat = step.tat;
    }
    const denied = gcra(policy, tat, now, 1);
    expect(denied.decision).toEqual({ allowed: false, remaining: 0, resetSeconds: 12, retryAfterSeconds: 12 });
    expect(denied.tat).toBe(tat);
  });

  it("refills one unit per window/limit", () => {
    let tat = 0;
    for (let i = 0; i < 5; i += 1) tat = gcra(policy, tat, 0, 1).tat;
    expect(gcra(policy, tat, 11_999, 1).decision.allowed).toBe(false);
    expect(gcra(policy, tat, 12_000, 1).decision).toMatchObject({ allowed: true, remaining: 0 });
    expect(gcra(policy, tat, 60_000, 1).decision).toMatchObject({ allowed: true, remaining: 4 });
  });
});

describe("available", () => {
  it("counts the units a key could spend now", () => {
    expect(available(policy, 0, 1_000)).toBe(5);
    expect(available(policy, gcra(policy, 0, 1_000, 3).tat, 1_000)).toBe(2);
    expect(available(policy, gcra(policy, 0, 1_000, 5).tat, 1_000 + 11_999)).toBe(0);
    expect(available(policy, gcra(policy, 0, 1_000, 5).tat, 1_000 + 12_000)).toBe(1);
  });
});
