import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createStockedSku, inventoryRow, sellInD1, testDb } from "../../test/helpers/inventory";
import { captureLogs } from "../../test/helpers/logs";
import { createDatabase } from "../db/client";
import { setShardPlan } from "../modules/inventory/inventory.plan";
import { commitStock, releaseStock, reserveStock } from "../modules/inventory/inventory.service";
import { shardOf, stockLockFor } from "../modules/inventory/inventory.shards";
import { newId } from "../platform/ids";
import { continueTrace, runInTrace } from "../platform/observability/trace";
import type { StockLock } from "./stock-lock";

const lock = (sku: string) => env.STOCK_LOCK.get(env.STOCK_LOCK.idFromName(sku));
const inAMinute = () => Date.now() + 60_000;

/** Points the object's D1 handle at a database that fails (the network boundary); returns the restore. */
async function breakD1(stub: DurableObjectStub<StockLock>): Promise<() => Promise<void>> {
  const broken = createDatabase({
    prepare: () => {
      throw new Error("D1_ERROR: unavailable");
    },
  } as unknown as D1Database);
  const original = await runInDurableObject(stub, (instance) => {
    const holder = instance as unknown as { db: unknown };
    const kept = holder.db;
    holder.db = broken;
    return kept;
  });
  return () =>
    runInDurableObject(stub, (instance) => {
      (instance as unknown as { db: unknown }).db = original;
    });
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

describe("StockLock calls carry the caller's trace (JS RPC has no headers)", () => {
  const traceId = "0af7651916cd43dd8448eb211c80319c";
  const request = continueTrace(`00-${traceId}-b7ad6b7169203331-01`);

  /** The `msg` log lines written while `work` runs, parsed. */
  async function linesOf(msg: string, work: () => Promise<unknown>) {
    const logs = captureLogs();
    try {
      await work();
      return logs.json().filter((line) => line.msg === msg);
    } finally {
      logs.restore();
    }
  }

  it("logs under the trace id of the traceparent it is given", async () => {
    const sku = await createStockedSku(2);
    const stub = lock(sku);
    await stub.snapshot(sku);
    const restore = await breakD1(stub);
    const lines = await linesOf("reserved mirror write failed", () =>
      stub.reserve(sku, newId("chk"), 1, inAMinute(), { shard: 0, shards: 1 }, `00-${traceId}-b7ad6b7169203331-01`),
    );
    await restore();
    expect(lines).toEqual([expect.objectContaining({ level: "error", sku, traceId })]);
    expect(lines[0]?.spanId).not.toBe("b7ad6b7169203331");
  });

  it("receives the trace of the request whose reserve, commit and release called it", async () => {
    const sku = await createStockedSku(3);
    await lock(sku).snapshot(sku);
    const restore = await breakD1(lock(sku));
    const [sold, dropped] = [newId("chk"), newId("chk")];
    const lines = await linesOf("reserved mirror write failed", () =>
      runInTrace(request, async () => {
        await reserveStock(env, sold, [{ sku, quantity: 1 }], 60_000);
        await reserveStock(env, dropped, [{ sku, quantity: 1 }], 60_000);
        await commitStock(env, sold, [{ sku }]);
        await releaseStock(env, dropped, [{ sku }]);
        // the ends of both holds are one write, made by the alarm (and it fails too: the alarm is retried)
        await expect(runDurableObjectAlarm(lock(sku))).rejects.toThrow(/D1_ERROR/);
      }),
    );
    await restore();
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => line.traceId)).toEqual([traceId, traceId, traceId]);
  });

  it("receives the trace on the shard that holds the reservation, not only the home", async () => {
    const sku = await createStockedSku(4);
    await setShardPlan(testDb(), env, { sku, shards: 2, actorId: null, origin: { requestId: "req_test", ip: null } });
    const id = Array.from({ length: 64 }, () => newId("chk")).find((candidate) => shardOf(candidate, 2) === 1)!;
    const restore = await breakD1(stockLockFor(env, sku, 1));
    const lines = await linesOf("reserved mirror write failed", () =>
      runInTrace(request, async () => {
        await reserveStock(env, id, [{ sku, quantity: 1 }], 60_000);
        await releaseStock(env, id, [{ sku }]);
        await expect(runDurableObjectAlarm(stockLockFor(env, sku, 1))).rejects.toThrow(/D1_ERROR/);
      }),
    );
    await restore();
    expect(lines).toEqual([expect.objectContaining({ traceId }), expect.objectContaining({ traceId })]);
  });
});
