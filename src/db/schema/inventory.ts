/**
 * On-hand stock per SKU: the truth. Reservations live in the StockLock Durable Objects; a paid
 * order decrements `on_hand` in the same D1 batch that writes the order.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const inventory = sqliteTable("inventory", {
  sku: text("sku").primaryKey(),
  onHand: integer("on_hand").notNull().default(0),
  updatedAt: integer("updated_at").notNull(),
});
