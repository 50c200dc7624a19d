/**
 * Inventory rows in D1 (drizzle only). Used by the service, the admin service and the StockLock
 * Durable Object (which reads its starting stock and the ledger, and writes its held-units mirror).
 */
import { and, eq, gt, inArray, max, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inventory, inventoryHolds, stockLedger, stockSales, variants } from "../../db/schema";

export interface InventoryRow {
  sku: string;
  onHand: number;
  reserved: number;
}

/** One query for many SKUs: the catalog and cart read availability through this. */
export function findInventory(db: Database, skus: string[]) {
  return db
    .select({ sku: inventory.sku, onHand: inventory.onHand, reserved: inventory.reserved })
    .from(inventory)
    .where(inArray(inventory.sku, skus));
}

/**
 * The home StockLock's starting point: on-hand and the last ledger row, read in ONE batch (one
 * D1 transaction) so the pair is consistent. Read once in the object's life, before any
 * reservation of the SKU exists, so no sale can be "in flight" between the two.
 */
export async function readStockOrigin(db: Database, sku: string): Promise<{ onHand: number; ledgerSeq: number }> {
  const [[row], [last]] = await db.batch([
    db.select({ onHand: inventory.onHand }).from(inventory).where(eq(inventory.sku, sku)),
    db
      .select({ seq: max(stockLedger.seq) })
      .from(stockLedger)
      .where(eq(stockLedger.sku, sku)),
  ]);
  return { onHand: row?.onHand ?? 0, ledgerSeq: last?.seq ?? 0 };
}

/** Ledger rows of one SKU after `seq`, oldest first. */
export function readLedgerAfter(db: Database, sku: string, seq: number) {
  return db
    .select({ seq: stockLedger.seq, delta: stockLedger.delta })
    .from(stockLedger)
    .where(and(eq(stockLedger.sku, sku), gt(stockLedger.seq, seq)))
    .orderBy(stockLedger.seq);
}

// Insert-select lists every column: `seq` is given as NULL, which SQLite turns into the next row id.

/**
 * Batchable: the ledger row of an on-hand change to the absolute value `onHand`. It must run in the
 * same batch as, and BEFORE, the statement that writes on_hand: its delta is computed in SQL from
 * the value it replaces, so a sale landing just before is never counted twice or lost.
 */
export function ledgerForSet(db: Database, sku: string, onHand: number, reason: string, now: number) {
  const delta = sql`${onHand} - coalesce((select ${inventory.onHand} from ${inventory} where ${inventory.sku} = ${sku}), 0)`;
  return db.insert(stockLedger).select(sql`select null, ${sku}, ${delta}, ${reason}, ${now}`);
}

/** Batchable: on_hand += delta (a restock) with its ledger row. */
export function adjustOnHandStatements(db: Database, sku: string, delta: number, reason: string, now: number) {
  return [
    db
      .update(inventory)
      .set({ onHand: sql`${inventory.onHand} + ${delta}`, updatedAt: now })
      .where(eq(inventory.sku, sku)),
    db
      .insert(stockLedger)
      .select(
        sql`select null, ${sku}, ${delta}, ${reason}, ${now} where exists (select 1 from ${inventory} where ${inventory.sku} = ${sku})`,
      ),
  ] as const;
}

/**
 * Writes one shard's held units unless a newer write (higher version) already landed, and
 * refreshes the SKU's total in `inventory.reserved` — one batch, one round trip.
 */
export async function writeShardMirror(
  db: Database,
  sku: string,
  shard: number,
  reserved: number,
  version: number,
): Promise<void> {
  await db.batch([
    db
      .insert(inventoryHolds)
      .values({ sku, shard, reserved, version })
      .onConflictDoUpdate({
        target: [inventoryHolds.sku, inventoryHolds.shard],
        set: { reserved, version },
        setWhere: sql`excluded.version > ${inventoryHolds.version}`,
      }),
    db
      .update(inventory)
      .set({
        reserved: sql`(select coalesce(sum(${inventoryHolds.reserved}), 0) from ${inventoryHolds} where ${inventoryHolds.sku} = ${sku})`,
      })
      .where(eq(inventory.sku, sku)),
  ]);
}

/**
 * Batchable, for the order batch: the sale of `quantity` units of `sku` under `reservationId`
 * — the guarded decrement (on_hand never below zero; the order line's guard refuses first) and
 * its sale row, whose primary key fails the batch if the same reservation is decremented twice.
 */
export function saleStatements(db: Database, reservationId: string, sku: string, quantity: number, at: number) {
  return [
    db
      .update(inventory)
      .set({ onHand: sql`${inventory.onHand} - ${quantity}`, updatedAt: at })
      .where(eq(inventory.sku, sku)),
    db.insert(stockSales).values({ reservationId, sku, quantity, createdAt: at }),
  ] as const;
}

/** Which of these reservation ids sold units of `sku` (their order batch ran). */
export async function soldReservations(db: Database, sku: string, reservationIds: string[]): Promise<Set<string>> {
  if (reservationIds.length === 0) return new Set();
  const rows = await db
    .select({ id: stockSales.reservationId })
    .from(stockSales)
    .where(and(eq(stockSales.sku, sku), inArray(stockSales.reservationId, reservationIds)));
  return new Set(rows.map((row) => row.id));
}

export async function variantExists(db: Database, sku: string): Promise<boolean> {
  const [row] = await db.select({ sku: variants.sku }).from(variants).where(eq(variants.sku, sku));
  return row !== undefined;
}

/** Batchable upsert of on-hand; pair it with `ledgerForSet` (before it) so the locks learn the change. */
export function upsertOnHand(db: Database, sku: string, onHand: number, now: number) {
  return db
    .insert(inventory)
    .values({ sku, onHand, updatedAt: now })
    .onConflictDoUpdate({ target: inventory.sku, set: { onHand, updatedAt: now } });
}

/** Batchable: records K (and the largest K so far) for a SKU. */
export function setShardsStatement(db: Database, sku: string, shards: number, now: number) {
  return db
    .insert(inventory)
    .values({ sku, onHand: 0, shards, shardSpan: shards, updatedAt: now })
    .onConflictDoUpdate({
      target: inventory.sku,
      set: { shards, shardSpan: sql`max(${inventory.shardSpan}, ${shards})`, updatedAt: now },
    })
    .returning({ shards: inventory.shards, span: inventory.shardSpan });
}

/** SKUs whose mirror says something is held: the sweep asks their Durable Objects to expire. */
export async function skusWithReservations(db: Database, limit: number): Promise<string[]> {
  const rows = await db
    .select({ sku: inventory.sku })
    .from(inventory)
    .where(gt(inventory.reserved, 0))
    .orderBy(sql`${inventory.sku}`)
    .limit(limit);
  return rows.map((row) => row.sku);
}
