/**
 * Idempotency records (Stripe semantics). One row per (caller scope, Idempotency-Key): claimed
 * atomically as `in_progress` before the handler runs, then completed with the answer to replay.
 * Kept 24 h (`expires_at`), then purged by a daily cron.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    /** `usr:<userId>` for a signed-in caller, `anon` otherwise (then the key alone scopes it). */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    /** sha256 of method + path + body: the same key with another request is a 422. */
    requestHash: text("request_hash").notNull(),
    status: text("status", { enum: ["in_progress", "completed"] }).notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: text("response_headers", { mode: "json" }).$type<Record<string, string>>(),
    responseBody: text("response_body"),
    /** When the current attempt claimed the key; a stale claim (crashed attempt) may be taken over. */
    lockedAt: integer("locked_at").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.key] }),
    index("idempotency_keys_expires_idx").on(table.expiresAt),
  ],
);
