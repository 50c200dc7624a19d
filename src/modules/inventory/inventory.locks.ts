/**
 * Calls to the StockLock shard of one SKU, routed by the shard plan (see inventory.shards.ts):
 * without a known plan the call goes to the home shard, which answers with the plan and, when
 * the reservation belongs to another shard, redirects; commit and release that the hashed shard
 * does not know (the plan changed since the reserve) are repeated on every shard up to `span`.
 * Reserve, commit and release (the calls that can log in the lock) carry the caller's
 * `traceparent` as their last argument, on every shard they reach.
 */
import type { FinishOutcome, ReserveOutcome, StockLock, StockSnapshot } from "../../durable-objects/stock-lock";
import type { Env } from "../../env";
import { currentTraceparent } from "../../platform/observability/trace";
import type { ServerTimings } from "../../platform/timing";
import {
  knownPlan,
  placementOf,
  rememberPlan,
  shardOf,
  stockLockFor,
  type Placement,
  type ShardPlan,
} from "./inventory.shards";

type Bindings = Pick<Env, "STOCK_LOCK">;
type Call<T> = (lock: DurableObjectStub<StockLock>, place: Placement) => Promise<T>;

export function timeDo<T>(timings: ServerTimings | undefined, work: () => Promise<T>): Promise<T> {
  return timings ? timings.time("do", work) : work();
}

/** Runs `call` on the reservation's shard, following the home's redirect once. */
async function onShard<T extends { plan?: ShardPlan; redirect?: boolean }>(
  env: Bindings,
  sku: string,
  reservationId: string,
  call: Call<T>,
  timings?: ServerTimings,
): Promise<{ outcome: T; place: Placement }> {
  let place = placementOf(sku, reservationId);
  let outcome = await timeDo(timings, () => call(stockLockFor(env, sku, place.shard), place));
  if (outcome.plan) {
    rememberPlan(sku, outcome.plan);
    if (outcome.redirect) {
      place = { shard: shardOf(reservationId, outcome.plan.shards), shards: outcome.plan.shards };
      outcome = await timeDo(timings, () => call(stockLockFor(env, sku, place.shard), place));
    }
  }
  return { outcome, place };
}

export async function reserveOn(
  env: Bindings,
  sku: string,
  reservationId: string,
  quantity: number,
  expiresAt: number,
  timings?: ServerTimings,
): Promise<ReserveOutcome> {
  const traceparent = currentTraceparent();
  const { outcome } = await onShard(
    env,
    sku,
    reservationId,
    (lock, place) => lock.reserve(sku, reservationId, quantity, expiresAt, place, traceparent),
    timings,
  );
  return outcome;
}

export async function finishOn(
  env: Bindings,
  sku: string,
  reservationId: string,
  how: "commit" | "release",
  timings?: ServerTimings,
): Promise<void> {
  const traceparent = currentTraceparent();
  const call: Call<FinishOutcome> = (lock, place) =>
    how === "commit"
      ? lock.commit(sku, reservationId, place, traceparent)
      : lock.release(sku, reservationId, place, traceparent);
  const { outcome, place } = await onShard(env, sku, reservationId, call, timings);
  const plan = knownPlan(sku);
  if (outcome.known || !plan || plan.span <= 1) return;
  const others = Array.from({ length: plan.span }, (_, shard) => shard).filter((shard) => shard !== place.shard);
  await Promise.all(
    others.map((shard) => timeDo(timings, () => call(stockLockFor(env, sku, shard), { shard, shards: plan.shards }))),
  );
}

/** Stock of a SKU summed over its shards: one call when it is not sharded. */
export async function stockTotals(
  env: Bindings,
  sku: string,
  timings?: ServerTimings,
): Promise<StockSnapshot & { plan: ShardPlan }> {
  const home = await timeDo(timings, () => stockLockFor(env, sku).overview(sku));
  rememberPlan(sku, home.plan);
  const shards = Array.from({ length: home.plan.span - 1 }, (_, i) => i + 1);
  const rest = await Promise.all(
    shards.map((shard) =>
      timeDo(timings, () => stockLockFor(env, sku, shard).snapshot(sku, { shard, shards: home.plan.shards })),
    ),
  );
  const onHand = rest.reduce((sum, shard) => sum + shard.onHand, home.onHand);
  const reserved = rest.reduce((sum, shard) => sum + shard.reserved, home.reserved);
  return { onHand, reserved, available: Math.max(0, onHand - reserved), plan: home.plan };
}
