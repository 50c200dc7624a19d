import { describe, expect, it } from "vitest";
import { BreakerOpenError, CircuitBreaker } from "./circuit-breaker";

function clockAt(start = 1_000_000) {
  const clock = {
    now: start,
    advance: (ms: number) => {
      clock.now += ms;
    },
  };
  return clock;
}

const fail = () => Promise.reject(new Error("provider answered 503"));
const succeed = () => Promise.resolve("ok");

function breaker(clock = clockAt(), failureThreshold = 3, openMs = 10_000) {
  return { clock, breaker: new CircuitBreaker("payment:test", { failureThreshold, openMs }, () => clock.now) };
}

async function failTimes(subject: CircuitBreaker, times: number) {
  for (let index = 0; index < times; index++) await subject.run(fail).catch(() => undefined);
}

describe("circuit breaker", () => {
  it("starts closed and lets calls through", async () => {
    const { breaker: subject } = breaker();
    expect(subject.state).toBe("closed");
    await expect(subject.run(succeed)).resolves.toBe("ok");
  });

  it("stays closed below the threshold of consecutive failures", async () => {
    const { breaker: subject } = breaker();
    await failTimes(subject, 2);
    expect(subject.state).toBe("closed");
  });

  it("a success resets the count of consecutive failures", async () => {
    const { breaker: subject } = breaker();
    await failTimes(subject, 2);
    await subject.run(succeed);
    await failTimes(subject, 2);
    expect(subject.state).toBe("closed");
  });

  it("closed → open at the threshold, then refuses at once without calling", async () => {
    const { breaker: subject } = breaker();
    await failTimes(subject, 3);
    expect(subject.state).toBe("open");
    let called = false;
    const refusal = await subject
      .run(async () => {
        called = true;
      })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BreakerOpenError);
    expect((refusal as BreakerOpenError).retryAfterMs).toBe(10_000);
    expect(called).toBe(false);
  });

  it("does not count failures the caller says prove the provider is up (a declined card)", async () => {
    const { breaker: subject } = breaker();
    for (let index = 0; index < 5; index++) await subject.run(fail, () => false).catch(() => undefined);
    expect(subject.state).toBe("closed");
  });

  it("open → half-open once openMs has passed", async () => {
    const { breaker: subject, clock } = breaker();
    await failTimes(subject, 3);
    clock.advance(9_999);
    expect(subject.state).toBe("open");
    clock.advance(1);
    expect(subject.state).toBe("half_open");
  });

  it("half-open → closed when the trial call succeeds", async () => {
    const { breaker: subject, clock } = breaker();
    await failTimes(subject, 3);
    clock.advance(10_000);
    await expect(subject.run(succeed)).resolves.toBe("ok");
    expect(subject.state).toBe("closed");
  });

  it("half-open → open again when the trial call fails, for another full openMs", async () => {
    const { breaker: subject, clock } = breaker();
    await failTimes(subject, 3);
    clock.advance(10_000);
    await expect(subject.run(fail)).rejects.toThrow("503");
    expect(subject.state).toBe("open");
    clock.advance(9_999);
    expect(subject.state).toBe("open");
    expect(subject.retryAfterMs()).toBe(1);
  });

  it("lets only one trial through while half-open", async () => {
    const { breaker: subject, clock } = breaker();
    await failTimes(subject, 3);
    clock.advance(10_000);
    let release: (value: string) => void = () => {};
    const trial = subject.run(
      () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }),
    );
    await expect(subject.run(succeed)).rejects.toBeInstanceOf(BreakerOpenError);
    release("ok");
    await expect(trial).resolves.toBe("ok");
    expect(subject.state).toBe("closed");
  });

  it("frees the trial slot after openMs when the trial never settles (its request was cancelled)", async () => {
    const { breaker: subject, clock } = breaker();
    await failTimes(subject, 3);
    clock.advance(10_000);
    void subject.run(() => new Promise<string>(() => undefined));
    clock.advance(9_999);
    await expect(subject.run(succeed)).rejects.toBeInstanceOf(BreakerOpenError);
    clock.advance(1);
    await expect(subject.run(succeed)).resolves.toBe("ok");
    expect(subject.state).toBe("closed");
  });
});

describe("a breaker shared by clients (minClients)", () => {
  const shared = (clock = clockAt()) =>
    new CircuitBreaker("payment:test", { failureThreshold: 3, openMs: 10_000, minClients: 3 }, () => clock.now);

  it("stays closed however often one client fails", async () => {
    const subject = shared();
    for (let index = 0; index < 50; index++)
      await subject.run(fail, () => true, "ip:203.0.113.9").catch(() => undefined);
    expect(subject.state).toBe("closed");
  });

  it("opens once the run of failures has minClients distinct clients and the threshold", async () => {
    const subject = shared();
    await subject.run(fail, () => true, "ip:a").catch(() => undefined);
    await subject.run(fail, () => true, "ip:a").catch(() => undefined);
    await subject.run(fail, () => true, "ip:b").catch(() => undefined);
    expect(subject.state).toBe("closed");
    await subject.run(fail, () => true, "user:c").catch(() => undefined);
    expect(subject.state).toBe("open");
  });

  it("forgets the clients of a run that a success ended", async () => {
    const subject = shared();
    await subject.run(fail, () => true, "ip:a").catch(() => undefined);
    await subject.run(fail, () => true, "ip:b").catch(() => undefined);
    await subject.run(succeed, () => true, "ip:z");
    await subject.run(fail, () => true, "ip:c").catch(() => undefined);
    await subject.run(fail, () => true, "ip:c").catch(() => undefined);
    await subject.run(fail, () => true, "ip:c").catch(() => undefined);
    expect(subject.state).toBe("closed");
  });

  it('counts calls made for no client (crons) as one client, "system"', async () => {
    const subject = shared();
    await failTimes(subject, 10);
    expect(subject.state).toBe("closed");
  });
});
