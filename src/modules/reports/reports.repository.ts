/** Orders of a day and the stored reports (drizzle only). */
import { and, eq, gte, lt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { dailySalesReports, orderLines, orders } from "../../db/schema";
import type { DailySalesReport, ReportLine, ReportOrder } from "./daily-sales";

export async function ordersBetween(
  db: Database,
  start: number,
  end: number,
): Promise<{ orders: ReportOrder[]; lines: ReportLine[] }> {
  const dayOrders = await db
    .select({ id: orders.id, currency: orders.currency, total: orders.total, tax: orders.tax, status: orders.status })
    .from(orders)
    .where(and(gte(orders.createdAt, start), lt(orders.createdAt, end)));
  if (dayOrders.length === 0) return { orders: [], lines: [] };
  // lines joined on the same day window, not IN(ids): a busy day has more ids than SQLite's bind limit
  const lines = await db
    .select({
      orderId: orderLines.orderId,
      sku: orderLines.sku,
      quantity: orderLines.quantity,
      total: orderLines.total,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(gte(orders.createdAt, start), lt(orders.createdAt, end)));
  return { orders: dayOrders, lines };
}

export async function upsertReport(db: Database, report: DailySalesReport, now: number) {
  await db
    .insert(dailySalesReports)
    .values({ date: report.date, report: { ...report }, computedAt: now })
    .onConflictDoUpdate({ target: dailySalesReports.date, set: { report: { ...report }, computedAt: now } });
}

export async function findReport(db: Database, date: string) {
  return (await db.select().from(dailySalesReports).where(eq(dailySalesReports.date, date)).limit(1))[0];
}
