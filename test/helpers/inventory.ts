/**
 * Stocked SKUs for tests: a real product, variant and inventory row in D1, with a unique SKU so
 * tests sharing a file's storage never collide.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { createDatabase } from "../../src/db/client";
import { inventory, products, variants } from "../../src/db/schema";
import { ledgerForSet, saleStatements, upsertOnHand } from "../../src/modules/inventory/inventory.repository";
import { stockLockFor } from "../../src/modules/inventory/inventory.shards";
import { newId } from "../../src/platform/ids";

export const testDb = () => createDatabase(env.DB);

export async function createStockedSku(onHand: number, prefix = "SKU"): Promise<string> {
  const productId = newId("prod");
  const sku = `${prefix}-${newId("t", 8).slice(2)}`.toUpperCase();
  const now = Date.now();
  const db = testDb();
  await db.batch([
    db.insert(products).values({
      id: productId,
      slug: productId.toLowerCase(),
      title: `Product ${sku}`,
      status: "active",
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(variants).values({ sku, productId, title: sku }),
    db.insert(inventory).values({ sku, onHand, updatedAt: now }),
  ]);
  return sku;
}

export async function inventoryRow(sku: string) {
  const [row] = await testDb().select().from(inventory).where(eq(inventory.sku, sku));
  return row;
}

/** What the order batch of a paid checkout does to D1 before it commits the reservation: the decrement and its sale row. */
export async function sellInD1(reservationId: string, sku: string, quantity: number): Promise<void> {
  const db = testDb();
  await db.batch([...saleStatements(db, reservationId, sku, quantity, Date.now())]);
}

/** What an admin set or a restock does to D1: the new on-hand with its stock-ledger row (then call syncOnHand). */
export async function setOnHandInD1(sku: string, onHand: number): Promise<void> {
  const db = testDb();
  const now = Date.now();
  await db.batch([ledgerForSet(db, sku, onHand, "test", now), upsertOnHand(db, sku, onHand, now)]);
}

/**
 * What a StockLock's alarm does within a second of a commit or release (MIRROR_SETTLE_MS): write
 * the ended holds to the D1 mirror. Runs the alarm of each of the SKU's first `shards` locks now.
 */
export async function settleMirror(sku: string, shards = 1): Promise<void> {
  for (let shard = 0; shard < shards; shard += 1) await runDurableObjectAlarm(stockLockFor(env, sku, shard));
}
