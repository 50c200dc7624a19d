/**
 * The transactional outbox: a domain event is inserted in the same D1 batch as the change that
 * caused it, then relayed to the JOBS queue; `published_at` stays null until the send succeeded,
 * so a failed send is retried by the relay cron and nothing is lost.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const outboxEvents = sqliteTable(
  "outbox_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    version: integer("version").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    occurredAt: integer("occurred_at").notNull(),
    publishedAt: integer("published_at"),
    /** W3C traceparent of the writer, carried into the queue message (migration 0040). */
    traceparent: text("traceparent"),
  },
  // the relay scans unpublished events oldest first
  (table) => [index("outbox_unpublished_idx").on(table.publishedAt, table.occurredAt)],
);

/**
 * Which consumer already handled which event: the queue delivers at least once, so each consumer
 * records (event id, consumer) after its work and skips an event it has already seen.
 */
export const processedEvents = sqliteTable(
  "processed_events",
  {
    eventId: text("event_id").notNull(),
    consumer: text("consumer").notNull(),
    processedAt: integer("processed_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.eventId, table.consumer] }),
    index("processed_events_at_idx").on(table.processedAt),
  ],
);

/**
 * Messages that failed: `retrying` while the queue still retries them (keeps the last error, which
 * the dead-letter queue does not carry), `dead` once the DLQ consumer recorded them, `replayed`
 * after an admin sent them back to the JOBS queue.
 */
export const jobFailures = sqliteTable(
  "job_failures",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    body: text("body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ["retrying", "dead", "replayed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    lastError: text("last_error"),
    firstFailedAt: integer("first_failed_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // admins page dead letters newest first
  (table) => [index("job_failures_status_idx").on(table.status, table.updatedAt)],
);
