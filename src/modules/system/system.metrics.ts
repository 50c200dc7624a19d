/**
 * What GET /v1/admin/metrics and GET /v1/admin/slo answer, from the isolate's recorders: latency
 * percentiles, dependency shares and budget breaches per route; each SLO's attainment, error
 * budget and burn rates. No HTTP here.
 */
import type { Config } from "../../env";
import { isolateLatency } from "../../platform/latency";
import { groupOf } from "../../platform/observability/budget";
import { isolateSlo, type Objective } from "../../platform/observability/slo";

export function metricsReport(config: Config) {
  const settings = config.OBSERVABILITY;
  const routes = isolateLatency.snapshot().map((route) => {
    const pattern = route.route.slice(route.route.indexOf(" ") + 1);
    const group = groupOf(settings, pattern);
    return { ...route, group: group?.name ?? "other", budgetMs: group?.budgetMs ?? settings.defaultBudgetMs };
  });
  return { scope: "isolate" as const, since: isolateLatency.since, routes };
}

const OBJECTIVES: readonly Objective[] = ["availability", "latency"];

export function sloReport(config: Config) {
  const settings = config.OBSERVABILITY;
  const slos = settings.routeGroups.flatMap((group) =>
    OBJECTIVES.map((objective) => ({
      name: `${group.name}.${objective}`,
      group: group.name,
      objective,
      ...(objective === "latency" ? { budgetMs: group.budgetMs } : {}),
      ...isolateSlo.status(group.name, objective, group[objective], settings.slo),
    })),
  );
  return { scope: "isolate" as const, windows: ["1h", "6h"] as ["1h", "6h"], thresholds: settings.slo, slos };
}
