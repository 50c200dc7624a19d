/**
 * Safety net for reservation expiry (every minute): alarms already expire reservations on time,
 * but an alarm can be lost with a deployment glitch or retried out. The D1 mirror names the SKUs
 * that still hold something; their locks (every shard of a sharded SKU) settle what is overdue,
 * re-deliver transfers and rewrite the mirror.
 */
import type { CronJob } from "../../cron/cron-job";
import { createDatabase } from "../../db/client";
import { skusWithReservations } from "./inventory.repository";
import { sweepStock } from "./inventory.service";

/** SKUs visited per run, and how many locks are called at once (Worker subrequest limits). */
const MAX_SKUS_PER_RUN = 500;
const PARALLEL_CALLS = 25;

export const releaseExpiredReservations: CronJob = {
  name: "inventory.release-expired-reservations",
  async run(env) {
    const skus = await skusWithReservations(createDatabase(env.DB), MAX_SKUS_PER_RUN);
    for (let start = 0; start < skus.length; start += PARALLEL_CALLS) {
      await Promise.all(skus.slice(start, start + PARALLEL_CALLS).map((sku) => sweepStock(env, sku)));
    }
  },
};
