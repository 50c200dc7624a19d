import { describe, expect, it } from "vitest";
import { fullJitterDelay, retryIdempotent } from "./retry";

const options = (overrides = {}) => ({
  attempts: 3,
  baseMs: 100,
  capMs: 250,
  retryable: () => true,
  random: () => 0.999,
  sleep: async () => {},
  ...overrides,
});

describe("retries with full jitter", () => {
  it("waits uniformly between 0 and min(cap, base·2ⁿ)", () => {
    expect(fullJitterDelay(0, 100, 250, () => 0)).toBe(0);
    expect(fullJitterDelay(0, 100, 250, () => 0.5)).toBe(50);
    expect(fullJitterDelay(1, 100, 250, () => 0.5)).toBe(100);
    expect(fullJitterDelay(5, 100, 250, () => 0.999)).toBe(249);
  });

  it("retries a retryable failure and returns the first success, sleeping the jittered delays", async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await retryIdempotent(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error("timeout");
        return "done";
      },
      options({
        sleep: async (ms: number) => {
          slept.push(ms);
        },
      }),
    );
    expect(result).toBe("done");
    expect(slept).toEqual([99, 199]);
  });

  it("gives up after the last attempt with the last error", async () => {
    let calls = 0;
    await expect(
      retryIdempotent(async () => {
        calls += 1;
        throw new Error(`attempt ${calls}`);
      }, options()),
    ).rejects.toThrow("attempt 3");
    expect(calls).toBe(3);
  });

  it("does not retry a failure that is not retryable (a 4xx)", async () => {
    let calls = 0;
    await expect(
      retryIdempotent(
        async () => {
          calls += 1;
          throw new Error("400");
        },
        options({ retryable: () => false }),
      ),
    ).rejects.toThrow("400");
    expect(calls).toBe(1);
  });
});
