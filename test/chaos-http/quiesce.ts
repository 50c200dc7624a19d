/**
 * Letting the system come to rest after the load, within QUIESCE_MS: the run fires the minute cron
 * itself (`wrangler dev` never does) every CRON_EVERY_MS, then waits until every SKU's hold is in its
 * expected range and two readings of the stock and the ledger agree. What cannot finish in a bounded
 * run is accounted for instead of waited for: docs/checkout.md, "The HTTP chaos run", "Quiescence".
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
