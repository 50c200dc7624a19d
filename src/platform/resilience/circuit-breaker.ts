/**
 * A circuit breaker: closed (calls flow; consecutive failures are counted), open (calls are
 * refused at once for `openMs`, so a dead provider costs nothing), half-open (one trial call is
 * let through; its success closes the breaker, its failure opens it again).
 * State is per isolate (see docs/observability.md, "Where breaker state lives"): reading it is a
 * field access, with no I/O on the hot path.
 */
import { log } from "../observability/log";

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
}

export class BreakerOpenError extends Error {
  constructor(
    readonly breaker: string,
    readonly retryAfterMs: number,
  ) {
    super(`circuit breaker ${breaker} is open`);
  }
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private opened = false;
  private trialInFlight = false;

  constructor(
    readonly name: string,
    private readonly options: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (!this.opened) return "closed";
    return this.now() - this.openedAt >= this.options.openMs ? "half_open" : "open";
  }

  /** Milliseconds until an open breaker lets a trial through (0 when it would now). */
  retryAfterMs(): number {
    return this.opened ? Math.max(0, this.openedAt + this.options.openMs - this.now()) : 0;
  }

  /** Throws BreakerOpenError when a call would be refused now; takes no trial slot. */
  assertCallable(): void {
    const state = this.state;
    if (state === "open" || (state === "half_open" && this.trialInFlight)) throw new BreakerOpenError(this.name, Math.max(1_000, this.retryAfterMs()));
  }

  /**
   * Runs `work` through the breaker. `countsAsFailure` tells provider failures (timeouts, 5xx)
   * from answers that prove the provider is up (a declined card, a 4xx): only the former trip it.
   */
  async run<T>(work: () => Promise<T>, countsAsFailure: (error: unknown) => boolean = () => true): Promise<T> {
    this.assertCallable();
    const trial = this.state === "half_open";
    if (trial) this.trialInFlight = true;
    try {
      const result = await work();
      this.onSuccess();
      return result;
    } catch (error) {
      if (countsAsFailure(error)) this.onFailure(trial);
      else this.onSuccess();
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private onSuccess(): void {
    if (this.opened) log.info("circuit breaker closed", { breaker: this.name });
    this.failures = 0;
    this.opened = false;
  }

  private onFailure(trial: boolean): void {
    this.failures += 1;
    if (trial || (!this.opened && this.failures >= this.options.failureThreshold)) {
      this.opened = true;
      this.openedAt = this.now();
      log.warn("circuit breaker opened", { breaker: this.name, failures: this.failures, trial, openMs: this.options.openMs });
    }
  }
}
