/**
 * Latency budgets: each route pattern belongs to a group (checkout, cart, catalog…) with a budget
 * in ms, and each dependency may take at most a share of that budget (D1 ≤ 40 %). A request over
 * its budget, or whose dependency went over its share, has broken the budget.
 */
import type { ObservabilityConfig, RouteGroup } from "./config";

export interface BudgetVerdict {
  group: string;
  budgetMs: number;
  exceeded: boolean;
  /** Dependencies over their share of the budget, e.g. ["d1"]. */
  overShare: string[];
  /** Each dependency's time as a share of the budget (what the share limits are written in). */
  shares: Record<string, number>;
}

const groupCache = new WeakMap<ObservabilityConfig, Map<string, RouteGroup | null>>();

/** The group whose prefix matches the route pattern (first match wins); memoised per pattern. */
export function groupOf(config: ObservabilityConfig, routePattern: string): RouteGroup | undefined {
  let byRoute = groupCache.get(config);
  if (!byRoute) groupCache.set(config, (byRoute = new Map()));
  let group = byRoute.get(routePattern);
  if (group === undefined) {
    group =
      config.routeGroups.find((candidate) =>
        candidate.prefixes.some(
          (prefix) => routePattern === prefix || routePattern.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`),
        ),
      ) ?? null;
    if (byRoute.size < 512) byRoute.set(routePattern, group);
  }
  return group ?? undefined;
}

export function evaluateBudget(
  config: ObservabilityConfig,
  routePattern: string,
  durationMs: number,
  dependencies: ReadonlyMap<string, number>,
): BudgetVerdict {
  const group = groupOf(config, routePattern);
  const budgetMs = group?.budgetMs ?? config.defaultBudgetMs;
  const shares: Record<string, number> = {};
  const overShare: string[] = [];
  for (const [name, spent] of dependencies) {
    const share = budgetMs > 0 ? spent / budgetMs : spent > 0 ? Infinity : 0;
    shares[name] = Math.round(share * 1000) / 1000;
    const limit = config.dependencyShares[name];
    if (limit !== undefined && share > limit) overShare.push(name);
  }
  return {
    group: group?.name ?? "other",
    budgetMs,
    exceeded: durationMs > budgetMs || overShare.length > 0,
    overShare,
    shares,
  };
}
