/**
 * Carts and what prices them: cart lines (quantities only — prices always come from the catalog),
 * shipping rates, discount codes and their redemptions. Amounts are integer minor units, rates
 * basis points.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export interface ShippingAddress {
  country: string;
  region?: string;
  postalCode: string;
  city: string;
  line1: string;
}

export const carts = sqliteTable(
  "carts",
  {
    id: text("id").primaryKey(),
    /** null = anonymous: the unguessable id is the only credential. */
    userId: text("user_id"),
    status: text("status", { enum: ["open", "checked_out"] }).notNull().default("open"),
    currency: text("currency").notNull(),
    /** Destination country (ISO 3166-1 alpha-2); the shipping address's country once one is set. */
    country: text("country"),
    email: text("email"),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<ShippingAddress>(),
    discountCode: text("discount_code"),
    createdAt: integer("created_at").notNull(),
    /** Last write; a cart idle for CART_TTL_HOURS is expired. */
    updatedAt: integer("updated_at").notNull(),
  },
  // "the user's open cart" (claim/merge) and the expiry sweep
  (table) => [index("carts_user_idx").on(table.userId, table.status, table.updatedAt), index("carts_updated_idx").on(table.updatedAt)],
);

export const cartItems = sqliteTable(
  "cart_items",
  {
    cartId: text("cart_id").notNull().references(() => carts.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.cartId, table.sku] })],
);

export const shippingRates = sqliteTable(
  "shipping_rates",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** ISO 3166-1 alpha-2, or "*" for the rest of the world. */
    country: text("country").notNull(),
    currency: text("currency").notNull(),
    minWeightGrams: integer("min_weight_grams").notNull().default(0),
    /** Exclusive upper bound; null = unbounded. */
    maxWeightGrams: integer("max_weight_grams"),
    amount: integer("amount").notNull(),
    freeAboveAmount: integer("free_above_amount"),
  },
  (table) => [index("shipping_rates_currency_idx").on(table.currency, table.country)],
);

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
    used: integer("used").notNull().default(0),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
  },
  // The usage limit is enforced by the database: an increment past it fails the whole D1 batch
  // that carries it (the checkout's order batch), so two concurrent checkouts cannot both use
  // the last redemption.
  (table) => [
    check("discount_codes_usage_limit", sql`${table.usageLimit} IS NULL OR ${table.used} <= ${table.usageLimit}`),
    check("discount_codes_shape", sql`(${table.kind} = 'percentage' AND ${table.percentBasisPoints} BETWEEN 1 AND 10000) OR (${table.kind} = 'fixed' AND ${table.amount} > 0 AND ${table.currency} IS NOT NULL)`),
  ],
);

export const discountRedemptions = sqliteTable(
  "discount_redemptions",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull().references(() => discountCodes.code),
    orderId: text("order_id").notNull(),
    userId: text("user_id"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("discount_redemptions_order_idx").on(table.code, table.orderId)],
);
