/** Computing (idempotently: one upserted row per date) and reading daily sales reports. */
import type { Database } from "../../db/client";
import { NotFoundError } from "../../platform/errors";
import { aggregateDailySales, utcDayRange, type DailySalesReport } from "./daily-sales";
import { findReport, ordersBetween, upsertReport } from "./reports.repository";

export async function computeDailyReport(db: Database, date: string, now = Date.now()): Promise<DailySalesReport> {
  const { start, end } = utcDayRange(date);
  const { orders, lines } = await ordersBetween(db, start, end);
  const report = aggregateDailySales(date, orders, lines);
  await upsertReport(db, report, now);
  return report;
}

export async function readDailyReport(db: Database, date: string) {
  const row = await findReport(db, date);
  if (!row) throw new NotFoundError({ detail: `No report was computed for ${date}` });
  return { ...(row.report as unknown as DailySalesReport), computedAt: new Date(row.computedAt).toISOString() };
}
