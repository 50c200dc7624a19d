/**
 * On-hand stock per SKU: the truth. Reservations live in the StockLock Durable Objects; a paid
 * order decrements `on_hand` in the same D1 batch that writes the order.
 *
 * `reserved` is the sum of the StockLock shards' held units (`inventory_holds`, each versioned by
 * its shard's change counter so writes that finish out of order cannot leave a stale count), so
 * catalog and cart reads get `on_hand - reserved` in one query without calling a Durable Object.
 * `reserved_version` is not written (kept for the existing migration).
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const inventory = sqliteTable(
  "inventory",
  {
    sku: text("sku").primaryKey(),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    reservedVersion: integer("reserved_version").notNull().default(0),
    /** K: how many StockLock shards sell this SKU (hot-SKU sharding); a copy lives in KV. */
    shards: integer("shards").notNull().default(1),
    /** The largest K this SKU has had: reservations may still sit on shards up to here. */
    shardSpan: integer("shard_span").notNull().default(1),
    updatedAt: integer("updated_at").notNull(),
  },
  // the expired-reservation sweep scans only the SKUs that hold something
  (table) => [
    index("inventory_reserved_idx")
      .on(table.sku)
      .where(sql`${table.reserved} > 0`),
  ],
);

/**
 * On-hand changes made outside a checkout (admin set, restock), written in the same D1 batch as the
 * change. The SKU's home StockLock folds them in by `seq` exactly once (its cursor is in its own
 * storage), so its stock follows D1 without ever re-reading an absolute value. Sales are not here:
 * the order batch lowers on_hand, and the lock's commit (keyed by reservation id) mirrors it.
 */
export const stockLedger = sqliteTable(
  "stock_ledger",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    sku: text("sku").notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("stock_ledger_sku_seq_idx").on(table.sku, table.seq)],
);

/** Held units per StockLock shard (versioned per shard); `inventory.reserved` is kept as their sum. */
export const inventoryHolds = sqliteTable(
  "inventory_holds",
  {
    sku: text("sku").notNull(),
    shard: integer("shard").notNull(),
    reserved: integer("reserved").notNull(),
    version: integer("version").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sku, table.shard] })],
);

/**
 * One row per (reservation, SKU) sold, written by the order batch beside the on_hand decrement:
 * the primary key makes a second decrement for the same reservation fail the whole batch, and the
 * StockLock reads it to settle a hold that expired after its order was written.
 */
export const stockSales = sqliteTable(
  "stock_sales",
  {
    reservationId: text("reservation_id").notNull(),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.reservationId, table.sku] }),
    index("stock_sales_created_idx").on(table.createdAt),
  ],
);
