import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createStockedSku, inventoryRow, testDb } from "../../../test/helpers/inventory";
import { setShardPlan } from "./inventory.plan";
import { releaseExpiredReservations } from "./release-expired.cron";
import { stockLockFor } from "./inventory.shards";

describe("releaseExpiredReservations", () => {
  it("expires reservations whose alarm was lost and repairs the D1 mirror", async () => {
    const sku = await createStockedSku(3);
    const stub = stockLockFor(env, sku);
    await stub.reserve(sku, "chk_lost_alarm", 2, Date.now() + 20);
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await inventoryRow(sku))?.reserved).toBe(2);
    await releaseExpiredReservations.run(env, Date.now());
    expect((await inventoryRow(sku))?.reserved).toBe(0);
  });

  it("sweeps every shard of a sharded SKU", async () => {
    const sku = await createStockedSku(4);
    await setShardPlan(testDb(), env, { sku, shards: 2, actorId: null, origin: { requestId: "req_test", ip: null } });
    const stub = stockLockFor(env, sku, 1);
    await stub.reserve(sku, "chk_lost_alarm_shard", 1, Date.now() + 20, { shard: 1, shards: 2 });
    await runInDurableObject(stub, (_instance, state) => state.storage.deleteAlarm());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await inventoryRow(sku))?.reserved).toBe(1);
    await releaseExpiredReservations.run(env, Date.now());
    expect((await inventoryRow(sku))?.reserved).toBe(0);
  });

  it("leaves reservations that are still running alone", async () => {
    const sku = await createStockedSku(3);
    await stockLockFor(env, sku).reserve(sku, "chk_running", 1, Date.now() + 60_000);
    await releaseExpiredReservations.run(env, Date.now());
    expect((await inventoryRow(sku))?.reserved).toBe(1);
  });
});
