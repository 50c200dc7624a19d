/**
 * The daily sales report as a pure function of one UTC day's orders and their lines: number of
 * orders, revenue and tax collected per currency, top SKUs by units sold. Only orders that stand
 * as sales count (paid and later); pending, cancelled and refunded ones are left out.
 */
export const COUNTED_STATUSES = ["paid", "fulfilled", "partially_shipped", "shipped", "delivered"] as const;
const TOP_SKUS = 10;

export interface ReportOrder {
  id: string;
  currency: string;
  total: number;
  tax: number;
  status: string;
}

export interface ReportLine {
  orderId: string;
  sku: string;
  quantity: number;
  total: number;
}

export interface DailySalesReport {
  date: string;
  orders: number;
  revenue: { currency: string; amount: number }[];
  taxCollected: { currency: string; amount: number }[];
  topSkus: { sku: string; quantity: number }[];
}

function sumByCurrency(orders: ReportOrder[], pick: (order: ReportOrder) => number) {
  const sums = new Map<string, number>();
  for (const order of orders) sums.set(order.currency, (sums.get(order.currency) ?? 0) + pick(order));
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}

export function aggregateDailySales(date: string, orders: ReportOrder[], lines: ReportLine[]): DailySalesReport {
  const counted = orders.filter((order) => (COUNTED_STATUSES as readonly string[]).includes(order.status));
  const countedIds = new Set(counted.map((order) => order.id));
  const units = new Map<string, number>();
  for (const line of lines) {
    if (countedIds.has(line.orderId)) units.set(line.sku, (units.get(line.sku) ?? 0) + line.quantity);
  }
  const topSkus = [...units]
    .sort(([skuA, a], [skuB, b]) => b - a || skuA.localeCompare(skuB))
    .slice(0, TOP_SKUS)
    .map(([sku, quantity]) => ({ sku, quantity }));
  return {
    date,
    orders: counted.length,
    revenue: sumByCurrency(counted, (order) => order.total),
    taxCollected: sumByCurrency(counted, (order) => order.tax),
    topSkus,
  };
}

const DAY_MS = 86_400_000;

/** The UTC day [start, end) of a YYYY-MM-DD date. */
export function utcDayRange(date: string): { start: number; end: number } {
  const start = Date.parse(`${date}T00:00:00.000Z`);
  return { start, end: start + DAY_MS };
}

/** The UTC date before the one containing `now`. */
export function previousUtcDate(now: number): string {
  return new Date(now - DAY_MS).toISOString().slice(0, 10);
}
