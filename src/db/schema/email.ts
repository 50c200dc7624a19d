/**
 * The local email outbox: what the `local` email adapter "sent", readable by admins at
 * GET /v1/admin/emails. The idempotency key makes a redelivered send a no-op.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const emails = sqliteTable(
  "emails",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").unique(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // read back per recipient, newest first
  (table) => [index("emails_to_idx").on(table.to, table.createdAt)],
);
