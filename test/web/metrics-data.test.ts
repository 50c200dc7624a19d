import { describe, expect, it } from "vitest";
import { objectivesOf, routesOf, sharesOf } from "../../web/console/metrics-data";

// the console's reading of GET /v1/admin/metrics and GET /v1/admin/slo (shapes of docs/observability.md)
const route = (name: string, count: number, dependencies: Record<string, number>) => ({
  route: name,
  group: "catalog",
  budgetMs: 50,
  count,
  p50: 1,
  p95: 2,
  p99: 3,
  max: 4,
  dependencies,
  budgetBreaches: 0,
});

describe("console metrics data", () => {
  it("reads each route's percentiles", () => {
    expect(routesOf({ routes: [route("GET /v1/products", 3, {})] })).toEqual([
      { route: "GET /v1/products", count: 3, p50: 1, p95: 2, p99: 3 },
    ]);
  });

  it("weights each route's dependency shares by its request count", () => {
    const shares = sharesOf({ routes: [route("a", 3, { d1: 0.5 }), route("b", 1, { d1: 0.1, kv: 0.2 })] });
    expect(shares?.map(({ name, share }) => [name, Math.round(share * 1000) / 1000])).toEqual([
      ["d1", 0.4],
      ["kv", 0.05],
    ]);
  });

  it("has no dependency shares when the server reports none", () => {
    expect(sharesOf({ routes: [{ route: "a", count: 1, p50: 1, p95: 1, p99: 1 }] })).toBeNull();
  });

  it("reads each SLO's attainment, remaining budget and 1 h burn rate", () => {
    const slo = {
      name: "checkout.availability",
      group: "checkout",
      objective: "availability",
      target: 0.999,
      attainment: 0.998,
      errorBudgetRemaining: -1,
      burnRate1h: 2.5,
      burnRate6h: 2,
      requests1h: 10,
      requests6h: 10,
      fastBurn: false,
    };
    expect(objectivesOf({ slos: [slo] })).toEqual([
      { name: "checkout.availability", attainment: 0.998, budgetRemaining: -1, burnRate: 2.5 },
    ]);
  });
});
