/** A signed-in customer's saved addresses (same JSON shape as a cart's shipping address). */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { ShippingAddress } from "./cart";
import { users } from "./identity";

export const customerAddresses = sqliteTable(
  "customer_addresses",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text("label"),
    address: text("address", { mode: "json" }).$type<ShippingAddress>().notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // a customer's addresses in the order they were saved
  (table) => [index("customer_addresses_user_idx").on(table.userId, table.createdAt)],
);
