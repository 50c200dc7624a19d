/**
 * Payments: charges and refunds of the built-in test provider (its "bank"), and the inbound
 * webhook events already processed, by provider and event id, so a redelivery does nothing twice.
 */
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** sha256 of the charge parameters: the same key with other parameters is refused. */
    requestHash: text("request_hash").notNull(),
    amount: integer("amount").notNull(),
    amountRefunded: integer("amount_refunded").notNull().default(0),
    currency: text("currency").notNull(),
    paymentMethod: text("payment_method").notNull(),
    status: text("status", { enum: ["succeeded", "declined", "refunded"] }).notNull(),
    declineCode: text("decline_code"),
    description: text("description"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("payments_provider_key_idx").on(table.provider, table.idempotencyKey)],
);

export const paymentRefunds = sqliteTable(
  "payment_refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull().references(() => payments.id),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    amount: integer("amount").notNull(),
    createdAt: integer("created_at").notNull(),
  },
);

export const paymentWebhookEvents = sqliteTable(
  "payment_webhook_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.eventId] })],
);
