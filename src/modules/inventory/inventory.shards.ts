/**
 * Hot-SKU sharding: a SKU's stock may be split across K StockLock objects. Shard 0 is the SKU's home
 * (named by the SKU alone, so an unsharded SKU is one lock); shard k > 0 is `SKU#k`. A reservation
 * lives on the shard its id hashes to, so one checkout's reserve, commit and release meet there
 * without storing where it went. A stale K only changes placement, never correctness:
 * docs/inventory.md, "One StockLock per SKU — or K shards of a hot SKU".
 */
import type { StockLock } from "../../durable-objects/stock-lock";
import type { Env } from "../../env";

/** Upper bound of K: each shard costs one object, and a dry shard asks its siblings in turn. */
export const MAX_SHARDS = 16;
/** How long an isolate trusts its copy of a SKU's shard plan. */
const PLAN_MEMO_MS = 5_000;

export interface ShardPlan {
  shards: number;
  /** The largest K this SKU has had: reservations may still sit on shards up to here. */
  span: number;
}

/** Where a call lands: shard index and the K it was placed under (0 = unknown, the home decides). */
export interface Placement {
  shard: number;
  shards: number;
}

export const UNSHARDED: ShardPlan = { shards: 1, span: 1 };

type Bindings = Pick<Env, "STOCK_LOCK">;

export function shardName(sku: string, shard: number): string {
  return shard === 0 ? sku : `${sku}#${shard}`;
}

export function stockLockFor(env: Bindings, sku: string, shard = 0): DurableObjectStub<StockLock> {
  return env.STOCK_LOCK.get(env.STOCK_LOCK.idFromName(shardName(sku, shard)));
}

/** FNV-1a of the reservation id, modulo K: stable, cheap, spread evenly over shards. */
export function shardOf(reservationId: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < reservationId.length; i += 1) {
    hash ^= reservationId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

const memo = new Map<string, { plan: ShardPlan; until: number }>();

/**
 * This isolate's copy of a SKU's plan, or undefined when it has none (or it is older than a few
 * seconds): then the call goes to the home shard, which knows the plan, answers with it, and
 * redirects when the reservation belongs elsewhere — no extra round trip for an unsharded SKU.
 */
export function knownPlan(sku: string): ShardPlan | undefined {
  const cached = memo.get(sku);
  return cached && cached.until > Date.now() ? cached.plan : undefined;
}

export function rememberPlan(sku: string, plan: ShardPlan): void {
  memo.set(sku, { plan, until: Date.now() + PLAN_MEMO_MS });
}

/** Where a reservation goes: its shard under the known plan, or "ask the home" (`shards: 0`). */
export function placementOf(sku: string, reservationId: string): Placement {
  const plan = knownPlan(sku);
  return plan ? { shard: shardOf(reservationId, plan.shards), shards: plan.shards } : { shard: 0, shards: 0 };
}
