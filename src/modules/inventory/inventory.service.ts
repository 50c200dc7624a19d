/**
 * Inventory rules: availability for reads, and reservations through the StockLock Durable Objects
 * (one per SKU, or K shards of a hot SKU — the API is the same either way). No HTTP here. The
 * checkout builds on reserveStock → commitStock or releaseStock, all idempotent per reservation id
 * (the checkout id).
 */
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ValidationError } from "../../platform/errors";
import { sleep } from "../../platform/sleep";
import type { ServerTimings } from "../../platform/timing";
import { findInventory } from "./inventory.repository";
import { finishOn, reserveOn, stockTotals, timeDo } from "./inventory.locks";
import type { ReserveOutcome, StockSnapshot } from "../../durable-objects/stock-lock";
import { stockLockFor } from "./inventory.shards";

export interface StockItem {
  sku: string;
  quantity: number;
}

export type ReserveResult = { ok: true } | { ok: false; unavailable: string[] };

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

/** How long a checkout holding its first SKU waits, in steps, for a rival to free the rest (only on contention). */
const CONTENTION_WAITS_MS = [10, 20, 40, 80, 160];

/**
 * Reserves every item or none, all SKUs at once: one round trip to the StockLocks whatever their
 * number. Carts racing for the same SKUs still meet at the first one (in SKU order): a cart that
 * was refused its first SKU gives up at once and frees what it took; a cart that holds its first
 * SKU retries the refused ones for a moment (`CONTENTION_WAITS_MS`), which is how the winner of
 * two carts racing for the same SKUs gets all of them. If anything is still refused, the holds
 * are released and the answer names every short SKU.
 */
export async function reserveStock(
  env: Bindings,
  reservationId: string,
  items: StockItem[],
  ttlMs: number,
  timings?: ServerTimings,
): Promise<ReserveResult> {
  const merged = mergeItems(items);
  if (!Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_RESERVATION_TTL_MS)
    throw new ValidationError({ detail: "The reservation TTL is out of range" });
  const expiresAt = Date.now() + ttlMs;
  const outcomes = new Map<string, ReserveOutcome>();
  const reserveAll = async (wanted: StockItem[]) => {
    const answers = await allSettled(
      wanted.map((item) => reserveOn(env, item.sku, reservationId, item.quantity, expiresAt, timings)),
    );
    wanted.forEach((item, index) => outcomes.set(item.sku, answers[index] as ReserveOutcome));
  };
  const refused = () => merged.filter((item) => !outcomes.get(item.sku)?.ok);
  // worth waiting only while the first SKU is ours and no refusal is final (a released id stays released)
  const mayWait = (short: StockItem[]) =>
    outcomes.get(merged[0]?.sku ?? "")?.ok === true && short.every((item) => !outcomes.get(item.sku)?.released);
  await reserveAll(merged);
  for (const wait of CONTENTION_WAITS_MS) {
    const short = refused();
    if (short.length === 0 || !mayWait(short)) break;
    await sleep(wait);
    await reserveAll(short);
  }
  const short = refused();
  if (short.length === 0) return { ok: true };
  await releaseStock(
    env,
    reservationId,
    merged.filter((item) => outcomes.get(item.sku)?.ok),
    timings,
  );
  return { ok: false, unavailable: short.map((item) => item.sku) };
}

/** Waits for every call (none is left in flight), then fails with the first failure if any. */
async function allSettled<T>(calls: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(calls);
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** Frees the reservation at once (declined, failed or abandoned checkout). Idempotent; the id stays released. */
export async function releaseStock(
  env: Bindings,
  reservationId: string,
  items: Pick<StockItem, "sku">[],
  timings?: ServerTimings,
): Promise<void> {
  await Promise.all(uniqueSkus(items).map((sku) => finishOn(env, sku, reservationId, "release", timings)));
}

/** Ends the reservation of a paid order; call it AFTER the order batch lowered on_hand in D1. Idempotent. */
export async function commitStock(
  env: Bindings,
  reservationId: string,
  items: Pick<StockItem, "sku">[],
  timings?: ServerTimings,
): Promise<void> {
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
    if (!Number.isSafeInteger(quantity) || quantity <= 0)
      throw new ValidationError({ detail: `Quantity of ${sku} must be a positive integer` });
    totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}

function uniqueSkus(items: Pick<StockItem, "sku">[]): string[] {
  return [...new Set(items.map((item) => item.sku))];
}
