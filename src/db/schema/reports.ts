/** Daily sales reports, one row per UTC date (YYYY-MM-DD), upserted by the daily cron. */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const dailySalesReports = sqliteTable("daily_sales_reports", {
  date: text("date").primaryKey(),
  report: text("report", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  computedAt: integer("computed_at").notNull(),
});
