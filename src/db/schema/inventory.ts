/**
 * On-hand stock per SKU: the truth. Reservations live in the StockLock Durable Objects; a paid
 * order decrements `on_hand` in the same D1 batch that writes the order.
 *
 * `reserved` is a mirror of the StockLock's held units, written through after every change, so
 * catalog and cart reads get `on_hand - reserved` in one query without calling a Durable Object.
 * `reserved_version` is the DO's change counter: a mirror write only lands if it is newer than
 * the one already stored, so two writes that finish out of order cannot leave a stale count.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const inventory = sqliteTable(
  "inventory",
  {
    sku: text("sku").primaryKey(),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    reservedVersion: integer("reserved_version").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  // the expired-reservation sweep scans only the SKUs that hold something
  (table) => [index("inventory_reserved_idx").on(table.sku).where(sql`${table.reserved} > 0`)],
);
