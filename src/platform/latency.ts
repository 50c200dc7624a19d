/**
 * Per-route latency percentiles measured by the running service. A fixed log-scale histogram
 * (buckets 10% apart from 0.05 ms to ~2 min) per route pattern: constant memory, O(1) record,
 * percentiles within 10%. It is per isolate — Workers run many isolates, so in production this is
 * a sample of one; fleet-wide percentiles come from Workers Logs (every request logs its duration).
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
      if (seen >= rank) return index === BUCKETS - 1 ? round(this.max) : Math.min(round(this.max), round(MIN_MS * GROWTH ** index));
    }
    return this.max;
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export class LatencyRecorder {
  private readonly routes = new Map<string, Histogram>();
  readonly since = Date.now();

  record(route: string, ms: number): void {
    let histogram = this.routes.get(route);
    if (!histogram) {
      if (this.routes.size >= MAX_ROUTES) return; // route patterns are a bounded set; this is a safety net
      histogram = new Histogram();
      this.routes.set(route, histogram);
    }
    histogram.record(ms);
  }

  snapshot(): RouteLatency[] {
    return [...this.routes].map(([route, h]) => ({
      route,
      count: h.count,
      p50: h.quantile(0.5),
      p95: h.quantile(0.95),
      p99: h.quantile(0.99),
      max: round(h.max),
    }));
  }
}

/** The isolate's recorder, fed by the request-log middleware. */
export const isolateLatency = new LatencyRecorder();
