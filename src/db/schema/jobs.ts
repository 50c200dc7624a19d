/**
 * The transactional outbox: a domain event is inserted in the same D1 batch as the change that
 * caused it, then relayed to the JOBS queue; `published_at` stays null until the send succeeded,
 * so a failed send is retried by the relay cron and nothing is lost.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const outboxEvents = sqliteTable(
  "outbox_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    version: integer("version").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    occurredAt: integer("occurred_at").notNull(),
    publishedAt: integer("published_at"),
  },
  // the relay scans unpublished events oldest first
  (table) => [index("outbox_unpublished_idx").on(table.publishedAt, table.occurredAt)],
);
