/**
 * Shipping: zones of destination countries, the options to ship within each zone, and their rates
 * by currency and weight band. Amounts are integer minor units.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
