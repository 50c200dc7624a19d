/**
 * `sweepStuckCheckouts` (every minute): runs the same lifecycle table as the request for every
 * live checkout that is due — a checkout whose request died, whose payment outcome is unknown, or
 * whose refund keeps failing. Each row has its own backoff (`next_attempt_at`), so rows that keep
 * failing never starve the others, and the query reads live rows only (a partial index).
 */
import type { CronJob } from "../../cron";
import { createDatabase } from "../../db/client";
import { configOf, type Env } from "../../env";
import { isSimulatedCrash } from "../../platform/faults";
import { paymentProviderFor } from "../payments/payments.service";
import { backoffMs, driveCheckout } from "./checkout.driver";
import { CHECKOUT_RETENTION_MS } from "./checkout.policy";
import { deferCheckout, findDueCheckouts, purgeFinishedCheckouts } from "./checkout.repository";
import type { CheckoutDeps } from "./checkout.steps";
import { log } from "../../platform/observability/log";

/** Checkouts one sweep drives; the next sweep, a minute later, takes the next ones. */
export const SWEEP_BATCH = 50;

export interface SweepReport {
  due: number;
  failed: number;
}

export async function sweepStuck(deps: CheckoutDeps, now: number): Promise<SweepReport> {
  const due = await findDueCheckouts(deps.db, now, SWEEP_BATCH);
  let failed = 0;
  for (const checkout of due) {
    try {
      await driveCheckout({ ...deps, now: () => now }, checkout, { by: "sweep" });
    } catch (error) {
      if (isSimulatedCrash(error)) throw error;
      failed++;
      await deferCheckout(deps.db, checkout.id, checkout.state, now + backoffMs(checkout.attempts), true);
      log.error("checkout sweep step failed; backing off", {
        checkoutId: checkout.id,
        state: checkout.state,
        error: String(error),
      });
    }
  }
  return { due: due.length, failed };
}

export const sweepStuckCheckouts: CronJob = {
  name: "sweep-stuck-checkouts",
  run: async (env: Env, now: number) => {
    const db = createDatabase(env.DB);
    await sweepStuck({ db, env, payments: paymentProviderFor(env, configOf(env)) }, now);
  },
};

export const purgeFinishedCheckoutsJob: CronJob = {
  name: "purge-finished-checkouts",
  run: async (env: Env, now: number) => {
    await purgeFinishedCheckouts(createDatabase(env.DB), now - CHECKOUT_RETENTION_MS, 500);
  },
};
