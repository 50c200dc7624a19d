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
  line2?: string;
  /** The recipient. */
  name?: string;
  company?: string;
  /** E.164 (normalised from a lenient international input, see docs/pricing.md). */
  phone?: string;
}

export const carts = sqliteTable(
  "carts",
  {
    id: text("id").primaryKey(),
    /** null = anonymous: the unguessable id is the only credential. */
    userId: text("user_id"),
    status: text("status", { enum: ["open", "checked_out"] })
      .notNull()
      .default("open"),
    currency: text("currency").notNull(),
    /** Destination country (ISO 3166-1 alpha-2); the shipping address's country once one is set. */
    country: text("country"),
    email: text("email"),
    shippingAddress: text("shipping_address", { mode: "json" }).$type<ShippingAddress>(),
    billingAddress: text("billing_address", { mode: "json" }).$type<ShippingAddress>(),
    /** The buyer's choice; null = the cheapest option that fits applies. */
    shippingOptionId: text("shipping_option_id"),
    discountCode: text("discount_code"),
    createdAt: integer("created_at").notNull(),
    /** Last write; a cart idle for CART_TTL_HOURS is expired. */
    updatedAt: integer("updated_at").notNull(),
  },
  // "the user's open cart" (claim/merge) and the expiry sweep
  (table) => [
    index("carts_user_idx").on(table.userId, table.status, table.updatedAt),
    index("carts_updated_idx").on(table.updatedAt),
  ],
);

export const cartItems = sqliteTable(
  "cart_items",
  {
    cartId: text("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.cartId, table.sku] })],
);

/** A zone groups destination countries; each country is in at most one zone ("*" = rest of the world). */
export const shippingZones = sqliteTable("shipping_zones", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const shippingZoneCountries = sqliteTable(
  "shipping_zone_countries",
  {
    // primary key: a country resolves to exactly one zone
    country: text("country").primaryKey(),
    zoneId: text("zone_id")
      .notNull()
      .references(() => shippingZones.id, { onDelete: "cascade" }),
  },
  (table) => [index("shipping_zone_countries_zone_idx").on(table.zoneId)],
);

/** A way to ship within a zone (Standard, Express…), priced by its rates. */
export const shippingOptions = sqliteTable(
  "shipping_options",
  {
    id: text("id").primaryKey(),
    zoneId: text("zone_id")
      .notNull()
      .references(() => shippingZones.id),
    name: text("name").notNull(),
    /** Upper bound of business days to delivery, shown to buyers. */
    estimatedDays: integer("estimated_days").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [index("shipping_options_zone_idx").on(table.zoneId)],
);

/** An option's price in one currency for one weight band; a flat rate is the band 0..∞. */
export const shippingRates = sqliteTable(
  "shipping_rates",
  {
    id: text("id").primaryKey(),
    optionId: text("option_id")
      .notNull()
      .references(() => shippingOptions.id, { onDelete: "cascade" }),
    currency: text("currency").notNull(),
    minWeightGrams: integer("min_weight_grams").notNull().default(0),
    /** Exclusive upper bound; null = unbounded. */
    maxWeightGrams: integer("max_weight_grams"),
    amount: integer("amount").notNull(),
    /** Free once subtotal − discount reaches this; null = never free. */
    freeAboveAmount: integer("free_above_amount"),
  },
  (table) => [index("shipping_rates_option_idx").on(table.optionId, table.currency)],
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
