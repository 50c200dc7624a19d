import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createStockedSku, sellInD1, setOnHandInD1, testDb } from "../../../test/helpers/inventory";
import { newId } from "../../platform/ids";
import { commitStock, refreshOnHand, releaseStock, reserveStock, stockSnapshot } from "./inventory.service";
import { setShardPlan } from "./inventory.plan";
import { shardOf } from "./inventory.shards";

const origin = { requestId: "req_test", ip: null };
const shard = (sku: string, shards: number) => setShardPlan(testDb(), env, { sku, shards, actorId: null, origin });
const one = (sku: string) => [{ sku, quantity: 1 }];

/** `count` reservation ids that all hash to `target` under K shards. */
function idsOnShard(target: number, shards: number, count: number): string[] {
  const ids: string[] = [];
  while (ids.length < count) {
    const id = newId("chk");
    if (shardOf(id, shards) === target) ids.push(id);
  }
  return ids;
}

describe("hot-SKU shards", () => {
  it("spreads the stock evenly over K shards and keeps the totals", async () => {
    const sku = await createStockedSku(41);
    const plan = await shard(sku, 4);
    expect(plan.stock.map((level) => level.stock)).toEqual([11, 10, 10, 10]);
    expect(await stockSnapshot(env, sku)).toEqual({ onHand: 41, reserved: 0, available: 41 });
  });

  it("sells exactly the stock when 300 buyers race for 50 units on 4 shards", { timeout: 60_000 }, async () => {
    const sku = await createStockedSku(50);
    await shard(sku, 4);
    const results = await Promise.all(
      Array.from({ length: 300 }, () => reserveStock(env, newId("chk"), one(sku), 60_000)),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(50);
    expect(await stockSnapshot(env, sku)).toEqual({ onHand: 50, reserved: 50, available: 0 });
  });

  it("rebalances: a shard that runs dry borrows its siblings' units, down to the last one", async () => {
    const sku = await createStockedSku(8);
    await shard(sku, 4); // 2 units each
    const ids = idsOnShard(1, 4, 9);
    const results = await Promise.all(ids.map((id) => reserveStock(env, id, one(sku), 60_000)));
    expect(results.filter((result) => result.ok)).toHaveLength(8);
    expect(await stockSnapshot(env, sku)).toEqual({ onHand: 8, reserved: 8, available: 0 });
  });

  it("never oversells while holds are released and sold during the race", { timeout: 60_000 }, async () => {
    const sku = await createStockedSku(30);
    await shard(sku, 3);
    let sold = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const id = newId("chk");
        if (!(await reserveStock(env, id, one(sku), 60_000)).ok) return;
        if (i % 3 === 0) return releaseStock(env, id, one(sku));
        await sellInD1(id, sku, 1);
        sold += 1;
        await commitStock(env, id, one(sku));
      }),
    );
    const after = await stockSnapshot(env, sku);
    expect(sold).toBeLessThanOrEqual(30);
    expect(after.onHand).toBe(30 - sold);
    expect(after.reserved).toBe(0);
  });

  it("commits and releases a reservation made under another K (the hashed shard does not know it)", async () => {
    const sku = await createStockedSku(12);
    await shard(sku, 4);
    const [kept, dropped] = [idsOnShard(3, 4, 1)[0]!, idsOnShard(2, 4, 1)[0]!];
    await reserveStock(env, kept, one(sku), 60_000);
    await reserveStock(env, dropped, one(sku), 60_000);
    await shard(sku, 1); // retired shards send their free units home; the holds stay where they are
    await sellInD1(kept, sku, 1);
    await commitStock(env, kept, one(sku));
    await releaseStock(env, dropped, one(sku));
    expect(await stockSnapshot(env, sku)).toEqual({ onHand: 11, reserved: 0, available: 11 });
    expect(await reserveStock(env, newId("chk"), [{ sku, quantity: 11 }], 60_000)).toEqual({ ok: true });
  });

  it("takes units back from the siblings when an admin lowers on-hand below the home shard's slice", async () => {
    const sku = await createStockedSku(40);
    await shard(sku, 4); // 10 each
    await setOnHandInD1(sku, 15);
    await refreshOnHand(env, [sku]);
    expect(await stockSnapshot(env, sku)).toEqual({ onHand: 15, reserved: 0, available: 15 });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => reserveStock(env, newId("chk"), one(sku), 60_000)),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(15);
  });
});
