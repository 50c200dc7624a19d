/**
 * Letting the system come to rest after the load, within a bound.
 *
 * `wrangler dev` serves cron triggers but never fires them (README), so the run fires the minute
 * schedule itself — every 20 s during the load, as `npm start` does every minute, and again here:
 * outbox relay, expired reservations, the stuck-checkout sweep, pending refunds that are due.
 * Reservation commits and releases run right after each answer (`waitUntil`) and the StockLock's
 * D1 mirror follows within a second; those are what this waits for.
 *
 * What cannot finish in a bounded run is accounted instead of waited for (test/chaos/chaos.workerd.ts
 * moves a fake clock hours ahead; over real HTTP the clock is real): a checkout stuck on an unknown
 * outcome holds its stock until the 15-min give-up or the 10-min reservation expiry (the Journal
 * expects exactly those holds), and a refund that failed at the provider is retried with backoff
 * (1, 2, 4 … min), so it may still be pending — decided and durable, counted as pending.
 *
 * Quiet: every SKU's hold is inside its expected range and two readings of the stock levels and
 * the ledger's length, a second apart, are equal. At most QUIESCE_MS.
 */
import { sleep, type Client } from "./client";
import { readLedger, readStock } from "./readback";
import type { StockLevel } from "./shapes";
import type { World } from "./world";

const QUIESCE_MS = 30_000;
export const CRON_EVERY_MS = 20_000;

/** Fires the minute cron; answers wrangler's status (a failing scheduled handler is a finding). */
export async function fireMinuteCron(world: World): Promise<number> {
  try {
    const response = await fetch(`${world.baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("* * * * *")}`, {
      signal: AbortSignal.timeout(60_000),
    });
    await response.text();
    return response.status;
  } catch {
    return 0;
  }
}

/** During the load: the minute cron every CRON_EVERY_MS; non-200 answers are kept as findings. */
export async function runCron(world: World, failures: string[]): Promise<void> {
  while (Date.now() < world.deadline) {
    await sleep(Math.min(CRON_EVERY_MS, Math.max(0, world.deadline - Date.now())));
    const status = await fireMinuteCron(world);
    if (status !== 200) failures.push(`the minute cron answered ${status || "nothing"} at ${new Date().toISOString()}`);
  }
}

export interface Rest {
  quiet: boolean;
  ms: number;
  levels: Map<string, StockLevel>;
}

export async function quiesce(world: World, client: Client, cronFailures: string[]): Promise<Rest> {
  const started = Date.now();
  const status = await fireMinuteCron(world);
  if (status !== 200) cronFailures.push(`the minute cron answered ${status || "nothing"} while quiescing`);
  const expected = world.journal.expectedHolds();
  let previous = "";
  let levels = new Map<string, StockLevel>();
  while (Date.now() - started < QUIESCE_MS) {
    await sleep(1_000);
    levels = new Map<string, StockLevel>();
    for (const { sku } of world.skus) levels.set(sku, await readStock(client, world.staffToken, sku));
    const ledger = await readLedger(client, world.staffToken);
    const fingerprint = JSON.stringify([
      [...levels.values()],
      ledger.length,
      ledger.filter((entry) => entry.kind === "refund").length,
    ]);
    const holdsSettled = [...levels.values()].every((level) => {
      const range = expected.get(level.sku) ?? { min: 0, max: 0 };
      return level.reserved >= range.min && level.reserved <= range.max;
    });
    if (holdsSettled && fingerprint === previous) return { quiet: true, ms: Date.now() - started, levels };
    previous = fingerprint;
  }
  return { quiet: false, ms: Date.now() - started, levels };
}
