/**
 * Inventory rows in D1 (drizzle only). Used by the service, the admin handlers' service calls and
 * the StockLock Durable Object (which reads on-hand and writes its reserved mirror here).
 */
import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inventory, variants } from "../../db/schema";

export interface InventoryRow {
  sku: string;
  onHand: number;
  reserved: number;
}

/** One query for many SKUs: the catalog and cart read availability through this. */
export function findInventory(db: Database, skus: string[]): Promise<InventoryRow[]> {
  return db.select({ sku: inventory.sku, onHand: inventory.onHand, reserved: inventory.reserved }).from(inventory).where(inArray(inventory.sku, skus));
}

export async function readOnHand(db: Database, sku: string): Promise<number> {
  const [row] = await db.select({ onHand: inventory.onHand }).from(inventory).where(eq(inventory.sku, sku));
  return row?.onHand ?? 0;
}

/** Writes the DO's reserved count unless a newer write (higher version) already landed. */
export function writeReservedMirror(db: Database, sku: string, reserved: number, version: number) {
  return db
    .update(inventory)
    .set({ reserved, reservedVersion: version })
    .where(and(eq(inventory.sku, sku), lt(inventory.reservedVersion, version)));
}

export async function variantExists(db: Database, sku: string): Promise<boolean> {
  const [row] = await db.select({ sku: variants.sku }).from(variants).where(eq(variants.sku, sku));
  return row !== undefined;
}

/** Batchable upsert of on-hand; the reserved mirror is left to the Durable Object. */
export function upsertOnHand(db: Database, sku: string, onHand: number, now: number) {
  return db
    .insert(inventory)
    .values({ sku, onHand, updatedAt: now })
    .onConflictDoUpdate({ target: inventory.sku, set: { onHand, updatedAt: now } });
}

/** SKUs whose mirror says something is held: the sweep asks their Durable Objects to expire. */
export async function skusWithReservations(db: Database, limit: number): Promise<string[]> {
  const rows = await db.select({ sku: inventory.sku }).from(inventory).where(gt(inventory.reserved, 0)).orderBy(sql`${inventory.sku}`).limit(limit);
  return rows.map((row) => row.sku);
}
