/**
 * A circuit breaker: closed (consecutive failures counted), open (calls refused at once for
 * `openMs`), half-open (one trial call; its success closes, its failure re-opens). State is per
 * isolate and plain data (docs/isolate-state.md): no I/O on the hot path. A breaker shared by clients
 * opens only when at least `minClients` of them failed. Why each choice: docs/observability.md,
 * "Circuit breakers".
 */
import { log } from "../observability/log";

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  /** Distinct clients among the failures before it opens (1: any failures, whoever made them). */
  minClients?: number;
}

/** The client of calls made for nobody in particular. */
const SYSTEM = "system";

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
  /** The distinct clients of the current run of failures (at most `minClients` are kept). */
  private readonly failingClients = new Set<string>();
  private openedAt = 0;
  private opened = false;
  /** When the half-open trial in flight started; 0 when none is. */
  private trialStartedAt = 0;

  constructor(
    readonly name: string,
    private readonly options: BreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Closed, as in a fresh isolate. For the money-safety harness only: its combinations share one
   * isolate, and a breaker opened by one combination's failing provider would refuse the next
   * combination's charge before it is made — testing less than the combination names.
   */
  reset(): void {
    this.failures = 0;
    this.failingClients.clear();
    this.opened = false;
    this.openedAt = 0;
    this.trialStartedAt = 0;
  }

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
    if (state === "open" || (state === "half_open" && this.trialInFlight()))
      throw new BreakerOpenError(this.name, Math.max(1_000, this.retryAfterMs()));
  }

  /**
   * Runs `work` through the breaker. `countsAsFailure` tells provider failures (timeouts, 5xx)
   * from answers that prove the provider is up (a declined card, a 4xx): only the former trip it.
   */
  async run<T>(
    work: () => Promise<T>,
    countsAsFailure: (error: unknown) => boolean = () => true,
    client = SYSTEM,
  ): Promise<T> {
    this.assertCallable();
    const trial = this.state === "half_open";
    const startedAt = this.now();
    if (trial) this.trialStartedAt = startedAt;
    try {
      const result = await work();
      this.onSuccess();
      return result;
    } catch (error) {
      if (countsAsFailure(error)) this.onFailure(trial, client);
      else this.onSuccess();
      throw error;
    } finally {
      if (trial && this.trialStartedAt === startedAt) this.trialStartedAt = 0;
    }
  }

  private trialInFlight(): boolean {
    return this.trialStartedAt !== 0 && this.now() - this.trialStartedAt < this.options.openMs;
  }

  private onSuccess(): void {
    if (this.opened) log.info("circuit breaker closed", { breaker: this.name });
    this.failures = 0;
    this.failingClients.clear();
    this.opened = false;
  }

  private onFailure(trial: boolean, client: string): void {
    const minClients = this.options.minClients ?? 1;
    this.failures += 1;
    if (this.failingClients.size < minClients) this.failingClients.add(client);
    const enough = this.failures >= this.options.failureThreshold && this.failingClients.size >= minClients;
    if (trial || (!this.opened && enough)) {
      this.opened = true;
      this.openedAt = this.now();
      log.warn("circuit breaker opened", {
        breaker: this.name,
        failures: this.failures,
        clients: this.failingClients.size,
        trial,
        openMs: this.options.openMs,
      });
    }
  }
}
