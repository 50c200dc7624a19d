/**
 * Per-request time spent in each dependency (d1, kv, do, queue, payment, cache…), summed by name
 * and rendered as one `Server-Timing` entry per dependency. Framework-free so services can time
 * their own calls; the middleware creates one per request. The call count doubles as a query
 * counter (the catalog proves "no N+1" with it).
 */
export type Dependency = "d1" | "kv" | "do" | "queue" | "payment" | "email" | "cache" | "webhook" | (string & {});

interface Entry {
  dur: number;
  count: number;
  desc?: string;
}

export class ServerTimings {
  private readonly entries = new Map<string, Entry>();

  async time<T>(name: Dependency, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(name, performance.now() - started);
    }
  }

  add(name: Dependency, durationMs: number): void {
    const entry = this.entries.get(name) ?? { dur: 0, count: 0 };
    entry.dur += durationMs;
    entry.count += 1;
    this.entries.set(name, entry);
  }

  /** Attaches a description, e.g. which cache tier answered (`cache;desc=memory`). */
  describe(name: Dependency, desc: string): void {
    const entry = this.entries.get(name) ?? { dur: 0, count: 0 };
    entry.desc = desc;
    this.entries.set(name, entry);
  }

  /** Milliseconds spent per dependency so far (budgets, metrics and the analytics data point read these). */
  durations(): Map<string, number> {
    const durations = new Map<string, number>();
    for (const [name, entry] of this.entries) if (entry.count > 0) durations.set(name, entry.dur);
    return durations;
  }

  description(name: Dependency): string | undefined {
    return this.entries.get(name)?.desc;
  }

  count(name: Dependency): number {
    return this.entries.get(name)?.count ?? 0;
  }

  header(totalMs: number): string {
    const parts = [...this.entries].map(
      ([name, { dur, desc }]) => `${name};dur=${dur.toFixed(1)}${desc ? `;desc="${desc}"` : ""}`,
    );
    parts.push(`total;dur=${totalMs.toFixed(1)}`);
    return parts.join(", ");
  }
}

/**
 * Wraps a D1 binding so that every statement execution and batch is timed as `d1`. Drizzle only
 * calls prepare/bind/all/raw/run/first/batch, which is exactly what is intercepted here.
 */
export function timedD1(db: D1Database, timings: ServerTimings): D1Database {
  const wrapStatement = (statement: D1PreparedStatement): D1PreparedStatement => {
    return new Proxy(statement, {
      get(target, property, receiver) {
        if (property === UNWRAPPED) return target;
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (property === "bind") return (...args: unknown[]) => wrapStatement(value.apply(target, args));
        if (property === "all" || property === "raw" || property === "run" || property === "first") {
          return (...args: unknown[]) => timings.time("d1", () => value.apply(target, args));
        }
        return value.bind(target);
      },
    });
  };

  return new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "prepare") return (query: string) => wrapStatement(target.prepare(query));
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) =>
          timings.time("d1", () => target.batch(statements.map(unwrapStatement)));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * D1's batch() checks that each statement is a real D1PreparedStatement, not a Proxy of one: the
 * proxy hands its target back under this key (kept on the request's own proxy, not in an
 * isolate-level map: docs/isolate-state.md).
 */
const UNWRAPPED = Symbol("unwrapped D1 statement");
function unwrapStatement(statement: D1PreparedStatement): D1PreparedStatement {
  return (Reflect.get(statement, UNWRAPPED) as D1PreparedStatement | undefined) ?? statement;
}
