/**
 * `sweepStuckCheckouts` (every minute, wired by the async engineer into src/cron): checkouts left
 * unfinished by a crashed request are compensated — stock released, a charge refunded — and
 * completed ones whose reservation was never committed get their commit. A checkout still
 * `charging` is resolved by replaying the charge under its idempotency key (the provider answers
 * the original outcome, or performs it now) so that a charge that did happen is refunded.
 */
import type { CronJob } from "../../cron";
import { createDatabase } from "../../db/client";
import { configOf, type Env } from "../../env";
import type { Currency } from "../../platform/money";
import { commitStock } from "../inventory/inventory.service";
import { paymentProviderFor } from "../payments/payments.service";
import { PaymentDeclinedError } from "../payments/payments.errors";
import { findStuckCheckouts, markStockCommitted, type CheckoutRow } from "./checkout.repository";
import { compensate, snapshotOf, type CheckoutDeps } from "./checkout.saga";

/** Longer than any live request (provider timeout + D1): only dead attempts are this old. */
export const STUCK_AFTER_MS = 2 * 60 * 1000;
const BATCH = 50;

async function chargeOutcome(deps: CheckoutDeps, checkout: CheckoutRow): Promise<string | null> {
  try {
    const charge = await deps.payments.charge({ amount: checkout.amount, currency: checkout.currency as Currency, paymentMethod: checkout.paymentMethod, idempotencyKey: checkout.id });
    return charge.paymentId;
  } catch (error) {
    if (error instanceof PaymentDeclinedError) return null;
    throw error; // provider down: try again on the next run
  }
}

export async function sweepCheckout(deps: CheckoutDeps, checkout: CheckoutRow): Promise<void> {
  if (checkout.state === "completed") {
    await commitStock(deps.env, checkout.id, snapshotOf(checkout).lines, deps.timings);
    await markStockCommitted(deps.db, checkout.id);
    return;
  }
  const paymentId = checkout.state === "charging" ? await chargeOutcome(deps, checkout) : checkout.paymentId;
  await compensate(deps, checkout, checkout.state, paymentId, checkout.failure ?? "abandoned: swept");
}

export async function sweepStuck(deps: CheckoutDeps, now: number): Promise<number> {
  const stuck = await findStuckCheckouts(deps.db, now - STUCK_AFTER_MS, BATCH);
  const results = await Promise.allSettled(stuck.map((checkout) => sweepCheckout(deps, checkout)));
  const failed = results.filter((result) => result.status === "rejected");
  if (failed.length > 0) throw new Error(`${failed.length} stuck checkout(s) could not be swept: ${String((failed[0] as PromiseRejectedResult).reason)}`);
  return stuck.length;
}

export const sweepStuckCheckouts: CronJob = {
  name: "sweep-stuck-checkouts",
  run: async (env: Env, now: number) => {
    const db = createDatabase(env.DB);
    await sweepStuck({ db, env, payments: paymentProviderFor(env, configOf(env)) }, now);
  },
};
