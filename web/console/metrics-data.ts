/**
 * Reading GET /v1/admin/metrics and GET /v1/admin/slo into chart data. The latency report is per
 * isolate and cumulative, so "over time" is the series of samples this page takes while open
 * Dependency shares and SLOs are read when the server has them.
 */
import type { LatencyReport } from "../shared/api-types";

export type RouteLatency = Pick<LatencyReport["routes"][number], "route" | "count" | "p50" | "p95" | "p99">;

export interface Sample {
  at: number;
  routes: RouteLatency[];
}

export interface Share {
  name: string;
  share: number;
}

export interface Objective {
  name: string;
  attainment: number | null;
  budgetRemaining: number | null;
  burnRate: number | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

export function routesOf(report: Json): RouteLatency[] {
  const routes = Array.isArray(report.routes) ? report.routes : [];
  return routes.filter(isObject).flatMap((row) =>
    typeof row.route === "string" && num(row.p50) !== null
      ? [
          {
            route: row.route,
            count: num(row.count) ?? 0,
            p50: num(row.p50) ?? 0,
            p95: num(row.p95) ?? 0,
            p99: num(row.p99) ?? 0,
          },
        ]
      : [],
  );
}

/** A share map (`{ d1: 0.31 }`) or list (`[{ name, share }]`) as chart data. */
function readShares(raw: unknown): Share[] {
  if (Array.isArray(raw)) {
    return raw.filter(isObject).flatMap((item) => {
      const name = item.name ?? item.dependency;
      const share = num(item.share) ?? num(item.ratio);
      return typeof name === "string" && share !== null ? [{ name, share }] : [];
    });
  }
  if (!isObject(raw)) return [];
  return Object.entries(raw).flatMap(([name, value]) =>
    num(value) !== null ? [{ name, share: num(value) ?? 0 }] : [],
  );
}

/**
 * Dependency shares of request time: the report's own totals when it has them, else each route's
 * `dependencies` weighted by its request count. Null when the server reports none.
 */
export function sharesOf(report: Json): Share[] | null {
  let list = readShares(report.dependencyShares ?? report.dependencies);
  if (list.length === 0) {
    const totals = new Map<string, number>();
    let requests = 0;
    for (const row of Array.isArray(report.routes) ? report.routes.filter(isObject) : []) {
      const count = num(row.count) ?? 0;
      const shares = readShares(row.dependencies);
      if (shares.length === 0) continue;
      requests += count;
      for (const { name, share } of shares) totals.set(name, (totals.get(name) ?? 0) + share * count);
    }
    list = requests > 0 ? [...totals].map(([name, weighted]) => ({ name, share: weighted / requests })) : [];
  }
  return list.length > 0 ? list : null;
}

export function objectivesOf(report: Json): Objective[] {
  const raw = [report.slos, report.data].find(Array.isArray) as unknown[] | undefined;
  return (raw ?? []).filter(isObject).map((item) => {
    // the short window shows a burn first; a single figure is taken as it is
    const burnRate = num(item.burnRate1h) ?? num(item.burnRate);
    return {
      name: String(item.name ?? item.group ?? "objective"),
      attainment: num(item.attainment),
      budgetRemaining: num(item.errorBudgetRemaining),
      burnRate,
    };
  });
}

/** The routes most worth plotting: the busiest few. */
export function busiest(samples: Sample[], limit = 6): string[] {
  const latest = samples.at(-1)?.routes ?? [];
  return [...latest]
    .sort((a, b) => b.count - a.count)
    .slice(0, limit)
    .map((row) => row.route);
}
