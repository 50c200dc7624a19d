/**
 * The isolate's circuit breakers by name (`payment:stripe`, `email`, `webhook:<endpoint id>`),
 * built with the thresholds of the config they belong to. Webhook destinations are unbounded in
 * principle, so the registry keeps at most MAX_BREAKERS and forgets the oldest closed ones.
 */
import { perConfig, type Config } from "../../env";
import { CircuitBreaker, type BreakerState } from "./circuit-breaker";

const MAX_BREAKERS = 1_000;

class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly config: Config) {}

  /**
   * `servesClients`: the breaker guards calls made for many clients (the payment provider), so it
   * opens only once `minClients` distinct clients failed; otherwise any failures open it.
   */
  get(name: string, { servesClients = false } = {}): CircuitBreaker {
    let breaker = this.breakers.get(name);
    if (!breaker) {
      if (this.breakers.size >= MAX_BREAKERS) this.evictClosed();
      const options = this.config.OBSERVABILITY.breaker;
      breaker = new CircuitBreaker(name, servesClients ? options : { ...options, minClients: 1 });
      this.breakers.set(name, breaker);
    }
    return breaker;
  }

  /** Breakers that are not closed: what /ready reports as degraded. */
  notClosed(): Record<string, BreakerState> {
    const states: Record<string, BreakerState> = {};
    for (const [name, breaker] of this.breakers) if (breaker.state !== "closed") states[name] = breaker.state;
    return states;
  }

  /** Forgets every breaker, as a new isolate starts: the test setup gives each test file that start. */
  forgetAll(): void {
    this.breakers.clear();
  }

  private evictClosed(): void {
    for (const [name, breaker] of this.breakers) {
      if (breaker.state === "closed") this.breakers.delete(name);
      if (this.breakers.size < MAX_BREAKERS / 2) return;
    }
  }
}

export const breakersOf = perConfig((config) => new BreakerRegistry(config));
