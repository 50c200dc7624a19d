import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createStockedSku, inventoryRow, sellInD1 } from "../../test/factories/inventory";
import { createDatabase } from "../db/client";
import type { StockLock } from "./stock-lock";

const lock = (sku: string) => env.STOCK_LOCK.get(env.STOCK_LOCK.idFromName(sku));
const inAMinute = () => Date.now() + 60_000;

/** Points the object's D1 handle at a database that fails (the network boundary); returns the restore. */
async function breakD1(stub: DurableObjectStub<StockLock>): Promise<() => Promise<void>> {
  const broken = createDatabase({ prepare: () => { throw new Error("D1_ERROR: unavailable"); } } as unknown as D1Database);
  const original = await runInDurableObject(stub, (instance) => {
    const holder = instance as unknown as { db: unknown };
    const kept = holder.db;
    holder.db = broken;
    return kept;
  });
  return () => runInDurableObject(stub, (instance) => { (instance as unknown as { db: unknown }).db = original; });
}

describe("StockLock when D1 fails", () => {
  it("keeps a reservation when only the mirror write fails, and the sweep repairs the mirror", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.snapshot(sku); // the starting stock is loaded while D1 works
    const restore = await breakD1(stub);
    expect((await stub.reserve(sku, "chk_mirror_down", 2, inAMinute())).ok).toBe(true);
    expect(await stub.reserved()).toBe(2);
    await restore();
    expect((await inventoryRow(sku))?.reserved).toBe(0);
    await stub.sweep(sku);
    expect((await inventoryRow(sku))?.reserved).toBe(2);
  });

  it("reserves, commits and releases with D1 down: its decisions read only its own storage", async () => {
    const sku = await createStockedSku(3);
    const stub = lock(sku);
    await stub.snapshot(sku);
    const restore = await breakD1(stub);
    expect((await stub.reserve(sku, "chk_sold", 2, inAMinute())).ok).toBe(true);
    expect((await stub.reserve(sku, "chk_dropped", 1, inAMinute())).ok).toBe(true);
    expect((await stub.reserve(sku, "chk_too_many", 1, inAMinute())).ok).toBe(false);
    await sellInD1("chk_sold", sku, 2); // the order batch, from the Worker's own D1 handle
    expect(await stub.commit(sku, "chk_sold")).toEqual({ known: true });
    expect(await stub.release(sku, "chk_dropped")).toEqual({ known: true });
    expect(await stub.snapshot(sku)).toEqual({ onHand: 1, reserved: 0, available: 1 });
    await restore();
  });
});
