/**
 * One Workers Analytics Engine data point per request, for fleet-wide percentiles (SQL in
 * docs/observability.md). The field order is the dataset's schema: append, never reorder.
 *   index1: route ("GET /v1/products")
 *   blob1 route · blob2 group · blob3 method · blob4 cache tier · blob5 colo · blob6 trace id
 *   double1 duration ms · double2 status · double3 budget ms · double4 breached (0/1)
 *   double5.. time per dependency: d1, kv, do, queue, payment, email, webhook, cache
 */
export const DATA_POINT_DEPENDENCIES = ["d1", "kv", "do", "queue", "payment", "email", "webhook", "cache"] as const;

export interface RequestSample {
  route: string;
  group: string;
  method: string;
  status: number;
  durationMs: number;
  budgetMs: number;
  breached: boolean;
  dependencies: ReadonlyMap<string, number>;
  cacheTier: string | undefined;
  colo: string | undefined;
  traceId: string;
}

export function requestDataPoint(sample: RequestSample): AnalyticsEngineDataPoint {
  return {
    indexes: [sample.route.slice(0, 96)],
    blobs: [sample.route, sample.group, sample.method, sample.cacheTier ?? "", sample.colo ?? "", sample.traceId],
    doubles: [
      sample.durationMs,
      sample.status,
      sample.budgetMs,
      sample.breached ? 1 : 0,
      ...DATA_POINT_DEPENDENCIES.map((name) => sample.dependencies.get(name) ?? 0),
    ],
  };
}
