/**
 * Tax rules by country and (optionally) region. Rates are basis points (2100 = 21%) so that no
 * floating point enters money maths. `inclusive` = catalog prices already contain the tax (EU VAT).
 */
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const taxRules = sqliteTable(
  "tax_rules",
  {
    id: text("id").primaryKey(),
    country: text("country").notNull(),
    /** ISO 3166-2 subdivision code without the country (e.g. "CA"); empty string = whole country. */
    region: text("region").notNull().default(""),
    name: text("name").notNull(),
    rateBasisPoints: integer("rate_bp").notNull(),
    inclusive: integer("inclusive", { mode: "boolean" }).notNull(),
    appliesToShipping: integer("applies_to_shipping", { mode: "boolean" }).notNull().default(true),
  },
  (table) => [uniqueIndex("tax_rules_country_region_idx").on(table.country, table.region)],
);
