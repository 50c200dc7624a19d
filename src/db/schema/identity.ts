/** Identity tables: users and their credentials. Emails are stored lower-cased and unique. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** Versioned encoded hash: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`. */
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["customer", "staff", "admin"] })
    .notNull()
    .default("customer"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /** Bumped by a role change or a password reset; access tokens carry it as `ver` (admin routes compare). */
  tokenVersion: integer("token_version").notNull().default(0),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    action: text("action").notNull(),
    actorId: text("actor_id"),
    subject: text("subject"),
    requestId: text("request_id"),
    ip: text("ip"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(),
  },
  // admins page the log newest first, optionally for one actor
  (table) => [
    index("audit_log_created_idx").on(table.createdAt),
    index("audit_log_actor_idx").on(table.actorId, table.createdAt),
  ],
);

/**
 * Refresh tokens: opaque secrets stored only as SHA-256 hashes, grouped in families (one family per
 * login). Each use rotates the token (`rotated_at`, `replaced_by`); presenting a rotated token again
 * revokes the whole family (RFC 9700 reuse detection).
 */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    rotatedAt: integer("rotated_at"),
    replacedBy: text("replaced_by"),
    revokedAt: integer("revoked_at"),
    /** Absolute end of the family (one sign-in), whatever the sliding `expires_at` says. */
    familyExpiresAt: integer("family_expires_at").notNull().default(0),
  },
  (table) => [index("refresh_tokens_family_idx").on(table.familyId), index("refresh_tokens_user_idx").on(table.userId)],
);

/** One-time password reset tokens: stored hashed, 30 minutes, single use. */
export const passwordResetTokens = sqliteTable(
  "password_reset_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (table) => [index("password_reset_tokens_user_idx").on(table.userId)],
);
