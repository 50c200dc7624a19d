/**
 * Discounts: codes, their redemptions and per-customer use counts. Amounts are integer minor units,
 * rates basis points.
 */
import { sql } from "drizzle-orm";
import { check, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const discountCodes = sqliteTable(
  "discount_codes",
  {
    /** Stored upper-case; clients may type it in any case. */
    code: text("code").primaryKey(),
    kind: text("kind", { enum: ["percentage", "fixed"] }).notNull(),
    percentBasisPoints: integer("percent_bp"),
    amount: integer("amount"),
    /** Required for fixed codes; a code with a currency only applies to carts in it. */
    currency: text("currency"),
    /** In the cart currency's minor units. */
    minSubtotal: integer("min_subtotal").notNull().default(0),
    startsAt: integer("starts_at"),
    endsAt: integer("ends_at"),
    usageLimit: integer("usage_limit"),
    /** Uses per customer (signed-in user id and order email each count); null = unlimited. */
    perCustomerLimit: integer("per_customer_limit"),
    used: integer("used").notNull().default(0),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
  },
  // The usage limit is enforced by the database: an increment past it fails the whole D1 batch
  // that carries it (the checkout's order batch), so two concurrent checkouts cannot both use
  // the last redemption.
  (table) => [
    check("discount_codes_usage_limit", sql`${table.usageLimit} IS NULL OR ${table.used} <= ${table.usageLimit}`),
    check(
      "discount_codes_shape",
      sql`(${table.kind} = 'percentage' AND ${table.percentBasisPoints} BETWEEN 1 AND 10000) OR (${
        table.kind
      } = 'fixed' AND ${table.amount} > 0 AND ${table.currency} IS NOT NULL)`,
    ),
  ],
);

export const discountRedemptions = sqliteTable(
  "discount_redemptions",
  {
    id: text("id").primaryKey(),
    code: text("code")
      .notNull()
      .references(() => discountCodes.code),
    orderId: text("order_id").notNull(),
    userId: text("user_id"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("discount_redemptions_order_idx").on(table.code, table.orderId)],
);

/**
 * Per-customer use counts. `usage_limit` is the code's per-customer limit copied in when the row is
 * counted, so the CHECK below (which cannot read discount_codes) fails the checkout's order batch
 * on the use past it — the same guard as the code's global limit, per customer.
 */
export const discountCustomerUsage = sqliteTable(
  "discount_customer_usage",
  {
    code: text("code")
      .notNull()
      .references(() => discountCodes.code),
    /** `usr:<id>` or `email:<lower-case email>`. */
    customer: text("customer").notNull(),
    used: integer("used").notNull(),
    usageLimit: integer("usage_limit"),
  },
  (table) => [
    primaryKey({ columns: [table.code, table.customer] }),
    check("discount_customer_usage_limit", sql`${table.usageLimit} IS NULL OR ${table.used} <= ${table.usageLimit}`),
  ],
);
