/**
 * Inventory rules: availability for reads, and reservations through the StockLock Durable
 * Objects (one per SKU, or K shards of a hot SKU — the API is the same either way). No HTTP here. The checkout builds on reserveStock → commitStock or
 * releaseStock, all idempotent per reservation id (the checkout id).
 */
import type { Database } from "../../db/client";
import type { StockSnapshot } from "../../durable-objects/stock-lock";
import type { Env } from "../../env";
import { ValidationError } from "../../platform/errors";
import type { ServerTimings } from "../../platform/timing";
import { findInventory } from "./inventory.repository";
import { finishOn, reserveOn, stockTotals, timeDo } from "./inventory.locks";
import { stockLockFor } from "./inventory.shards";

export interface StockItem {
  sku: string;
  quantity: number;
}

export type ReserveResult = { ok: true } | { ok: false; unavailable: string[] };

/** Default hold of a checkout's reservation: long enough for a slow payment, short enough to free abandoned stock. */
export const DEFAULT_RESERVATION_TTL_MS = 10 * 60 * 1000;
/** Upper bound of a reservation's TTL; longer holds would lock stock away from other buyers. */
export const MAX_RESERVATION_TTL_MS = 60 * 60 * 1000;

type Bindings = Pick<Env, "STOCK_LOCK">;

export { stockLockFor };

/** on_hand − reserved per SKU from D1 in ONE query, never below zero; unknown SKUs are absent. */
export async function availableBySku(db: Database, skus: string[]): Promise<Map<string, number>> {
  const unique = [...new Set(skus)];
  if (unique.length === 0) return new Map();
  const rows = await findInventory(db, unique);
  return new Map(rows.map((row) => [row.sku, availableOf(row)]));
}

/** on_hand − reserved of one inventory row (as `findInventory` reads it), never below zero. */
export function availableOf(row: { onHand: number; reserved: number }): number {
  return Math.max(0, row.onHand - row.reserved);
}

/**
 * Reserves every item or none. SKUs are taken in sorted order so two carts racing for the same
 * SKUs meet at the first one (one wins) instead of each grabbing a different SKU and both failing.
 * On the first refusal the reservations already made are released, and the remaining SKUs are
 * checked so the answer names every SKU that is short.
 */
export async function reserveStock(env: Bindings, reservationId: string, items: StockItem[], ttlMs = DEFAULT_RESERVATION_TTL_MS, timings?: ServerTimings): Promise<ReserveResult> {
  const merged = mergeItems(items);
  if (!Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_RESERVATION_TTL_MS) throw new ValidationError({ detail: "The reservation TTL is out of range" });
  const expiresAt = Date.now() + ttlMs;
  const reserved: StockItem[] = [];
  for (const [index, item] of merged.entries()) {
    const outcome = await reserveOn(env, item.sku, reservationId, item.quantity, expiresAt, timings);
    if (outcome.ok) {
      reserved.push(item);
      continue;
    }
    await releaseStock(env, reservationId, reserved, timings);
    const rest = merged.slice(index + 1);
    const totals = await Promise.all(rest.map((other) => stockTotals(env, other.sku, timings)));
    const alsoShort = rest.filter((other, at) => (totals[at]?.available ?? 0) < other.quantity).map((other) => other.sku);
    return { ok: false, unavailable: [item.sku, ...alsoShort] };
  }
  return { ok: true };
}

/** Frees the reservation at once (declined, failed or abandoned checkout). Idempotent; the id stays released. */
export async function releaseStock(env: Bindings, reservationId: string, items: Pick<StockItem, "sku">[], timings?: ServerTimings): Promise<void> {
  await Promise.all(uniqueSkus(items).map((sku) => finishOn(env, sku, reservationId, "release", timings)));
}

/** Ends the reservation of a paid order; call it AFTER the order batch lowered on_hand in D1. Idempotent. */
export async function commitStock(env: Bindings, reservationId: string, items: Pick<StockItem, "sku">[], timings?: ServerTimings): Promise<void> {
  await Promise.all(uniqueSkus(items).map((sku) => finishOn(env, sku, reservationId, "commit", timings)));
}

/** On-hand changed in D1 outside a checkout (admin write, cancelled order returning stock): the home shards fold in the ledger. */
export async function refreshOnHand(env: Bindings, skus: string[], timings?: ServerTimings): Promise<StockSnapshot[]> {
  return Promise.all([...new Set(skus)].map((sku) => timeDo(timings, () => stockLockFor(env, sku).syncOnHand(sku))));
}

/** The locks' live view of one SKU, summed over its shards (what is held right now, not the mirror). */
export async function stockSnapshot(env: Bindings, sku: string, timings?: ServerTimings): Promise<StockSnapshot> {
  const { onHand, reserved, available } = await stockTotals(env, sku, timings);
  return { onHand, reserved, available };
}

/** The cron's safety net for one SKU: each of its shards settles what is overdue and rewrites its mirror. */
export async function sweepStock(env: Bindings, sku: string): Promise<void> {
  const home = stockLockFor(env, sku);
  await home.sweep(sku);
  const { plan } = await home.overview(sku);
  for (let shard = 1; shard < plan.span; shard += 1) await stockLockFor(env, sku, shard).sweep(sku, shard);
}

/** Same SKU twice in one request counts once, with the quantities added; sorted by SKU. */
function mergeItems(items: StockItem[]): StockItem[] {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of items) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new ValidationError({ detail: `Quantity of ${sku} must be a positive integer` });
    totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}

function uniqueSkus(items: Pick<StockItem, "sku">[]): string[] {
  return [...new Set(items.map((item) => item.sku))];
}
