/**
 * Reading GET /v1/admin/metrics and GET /v1/admin/slo into chart data. The latency report is per
 * isolate and cumulative, so "over time" is the series of samples this page takes while open
 * Dependency shares and SLOs are read when the server has them.
 */
import type { RouteLatency as ServerRouteLatency } from "../../src/platform/latency";

export type RouteLatency = Omit<ServerRouteLatency, "max">;

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
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

export function routesOf(report: Json): RouteLatency[] {
  const routes = Array.isArray(report.routes) ? report.routes : [];
  return routes.filter(isObject).flatMap((row) =>
    typeof row.route === "string" && num(row.p50) !== null
      ? [{ route: row.route, count: num(row.count) ?? 0, p50: num(row.p50) ?? 0, p95: num(row.p95) ?? 0, p99: num(row.p99) ?? 0 }]
      : [],
  );
}

/** Dependency shares, from `dependencies` / `dependencyShares` as an array or a name → share map. */
export function sharesOf(report: Json): Share[] | null {
  const raw = report.dependencyShares ?? report.dependencies ?? report.shares;
  let list: Share[] = [];
  if (Array.isArray(raw)) {
    list = raw.filter(isObject).flatMap((item) => {
      const name = item.name ?? item.dependency;
      const share = num(item.share) ?? num(item.ratio) ?? num(item.fraction);
      return typeof name === "string" && share !== null ? [{ name, share }] : [];
    });
  } else if (isObject(raw)) {
    list = Object.entries(raw).flatMap(([name, value]) => {
      const share = num(value) ?? (isObject(value) ? (num(value.share) ?? num(value.ratio)) : null);
      return share !== null ? [{ name, share }] : [];
    });
  }
  if (list.length === 0) return null;
  // a share may be sent as a percentage; charts use fractions
  return list.map((item) => ({ name: item.name, share: item.share > 1 ? item.share / 100 : item.share }));
}

export function objectivesOf(report: Json): Objective[] {
  const raw = [report.data, report.objectives, report.slos, report.groups].find(Array.isArray) as unknown[] | undefined;
  return (raw ?? []).filter(isObject).map((item) => {
    const burn = item.burnRate ?? item.burnRates;
    const burnRate = num(burn) ?? (isObject(burn) ? Math.max(...Object.values(burn).map((value) => num(value) ?? 0)) : null);
    const budget = item.errorBudgetRemaining ?? item.budgetRemaining;
    return {
      name: String(item.name ?? item.route ?? item.group ?? item.id ?? "objective") + (typeof item.kind === "string" ? ` ${item.kind}` : ""),
      attainment: num(item.attainment),
      budgetRemaining: num(budget) ?? (isObject(budget) ? num(budget.fraction) : null),
      burnRate,
    };
  });
}

/** The routes most worth plotting: the busiest few. */
export function busiest(samples: Sample[], limit = 6): string[] {
  const latest = samples.at(-1)?.routes ?? [];
  return [...latest].sort((a, b) => b.count - a.count).slice(0, limit).map((row) => row.route);
}
