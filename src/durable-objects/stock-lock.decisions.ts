/**
 * The StockLock's decisions, as functions of its own storage — each one synchronous, so a decision
 * and its write cannot be split by another request — and the answers it gives (plain objects, not
 * unions: RPC stubs type unions of promises poorly).
 */
import { shardOf, type Placement, type ShardPlan } from "../modules/inventory/inventory.shards";
import type { ReservationStore } from "./stock-lock.store";

export interface ReserveOutcome {
  ok: boolean;
  /** Units still free on this shard after the call. */
  available: number;
  /** Set when refused because the id was released before: a released id stays released. */
  released?: boolean;
  /** The SKU's plan, when the caller did not know it (`shards: 0`) and asked the home shard. */
  plan?: ShardPlan;
  /** Nothing was done: under `plan` the reservation belongs to another shard. */
  redirect?: boolean;
}

export interface StockSnapshot {
  /** This shard's stock (for an unsharded SKU: on-hand as the lock counts it). */
  onHand: number;
  reserved: number;
  available: number;
}

/** Whether the shard knew the reservation id (if not, the caller looks on the other shards). */
export interface FinishOutcome {
  known: boolean;
  plan?: ShardPlan;
  redirect?: boolean;
}

/**
 * A reserve: a held or committed id is a no-op retry; an expiring hold of a live checkout is held
 * again (it is still counted, so it is not counted twice); a released id stays released; otherwise
 * hold if the shard's free units cover it. Overdue holds must have been marked first.
 */
export function decideReserve(
  store: ReservationStore,
  reservationId: string,
  quantity: number,
  expiresAt: number,
  now: number,
): ReserveOutcome {
  const existing = store.reservation(reservationId)?.status;
  const free = store.freeUnits();
  const available = Math.max(0, free);
  if (existing === "held" || existing === "committed") return { ok: true, available };
  if (existing === "released") return { ok: false, available, released: true };
  if (existing !== "expiring" && free < quantity) return { ok: false, available };
  store.hold(reservationId, quantity, expiresAt, now);
  return { ok: true, available: Math.max(0, store.freeUnits()) };
}

/**
 * A caller that does not know the plan (`shards: 0`) asks the home shard: the home answers with
 * the plan, and handles the call itself when the reservation belongs to it (always, unsharded).
 */
export function resolvePlacement(
  store: ReservationStore,
  reservationId: string,
  asked: Placement,
): { place?: Placement; plan?: ShardPlan } {
  if (asked.shards !== 0) return { place: asked };
  const plan = store.plan();
  const shard = shardOf(reservationId, plan.shards);
  return shard === 0 ? { place: { shard: 0, shards: plan.shards }, plan } : { plan };
}
