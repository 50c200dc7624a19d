/**
 * Per-route latency percentiles measured by the running service. A fixed log-scale histogram
 * (buckets 10% apart from 0.05 ms to ~2 min) per route pattern: constant memory, O(1) record,
 * percentiles within 10%. Beside it, the time spent in each dependency and the budget breaches.
 * It is per isolate — Workers run many isolates, so in production this is a sample of one;
 * fleet-wide percentiles come from Analytics Engine (docs/observability.md).
 */
const MIN_MS = 0.05;
const GROWTH = 1.1;
const BUCKETS = Math.ceil(Math.log(120_000 / MIN_MS) / Math.log(GROWTH)) + 1;
const MAX_ROUTES = 256;

export interface RouteLatency {
  route: string;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Each dependency's share of the route's total time (0–1). */
  dependencies: Record<string, number>;
  budgetBreaches: number;
}

interface RouteStats {
  histogram: Histogram;
  totalMs: number;
  dependencyMs: Map<string, number>;
  breaches: number;
}

class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  record(ms: number): void {
    const index = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / Math.log(GROWTH)));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  /** Upper bound of the bucket holding the q-quantile (never above the observed max). */
  quantile(q: number): number {
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index] ?? 0;
      // the last bucket is open-ended: its only honest bound is the observed max
      if (seen >= rank)
        return index === BUCKETS - 1 ? round(this.max) : Math.min(round(this.max), round(MIN_MS * GROWTH ** index));
    }
    return this.max;
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

const share = (part: number, whole: number) => (whole > 0 ? Math.round(Math.min(1, part / whole) * 1000) / 1000 : 0);

export class LatencyRecorder {
  private readonly routes = new Map<string, RouteStats>();
  readonly since = Date.now();

  record(route: string, ms: number, dependencies: ReadonlyMap<string, number> = new Map(), breached = false): void {
    let stats = this.routes.get(route);
    if (!stats) {
      if (this.routes.size >= MAX_ROUTES) return; // route patterns are a bounded set; this is a safety net
      stats = { histogram: new Histogram(), totalMs: 0, dependencyMs: new Map(), breaches: 0 };
      this.routes.set(route, stats);
    }
    stats.histogram.record(ms);
    stats.totalMs += ms;
    for (const [name, spent] of dependencies) stats.dependencyMs.set(name, (stats.dependencyMs.get(name) ?? 0) + spent);
    if (breached) stats.breaches += 1;
  }

  snapshot(): RouteLatency[] {
    return [...this.routes].map(([route, { histogram: h, totalMs, dependencyMs, breaches }]) => ({
      route,
      count: h.count,
      p50: h.quantile(0.5),
      p95: h.quantile(0.95),
      p99: h.quantile(0.99),
      max: round(h.max),
      dependencies: Object.fromEntries([...dependencyMs].map(([name, spent]) => [name, share(spent, totalMs)])),
      budgetBreaches: breaches,
    }));
  }
}

/** The isolate's recorder, fed by the request-log middleware. */
export const isolateLatency = new LatencyRecorder();
