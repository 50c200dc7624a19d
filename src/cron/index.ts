/**
 * Cron dispatch by schedule. Every job is imported here, so what runs when is read in one place.
 * Each job is idempotent (a schedule may fire twice, or be retried) and isolated: one failing job
 * does not stop the others, and the run still reports the failure.
 */
import { configOf, type Env } from "../env";
import { log, setLogLevel } from "../platform/observability/log";
import { continueTrace, runInTrace } from "../platform/observability/trace";
import { expireIdleCarts } from "../modules/cart/cart.cron";
import { purgeFinishedCheckoutsJob, sweepStuckCheckouts } from "../modules/checkout/checkout.sweep";
import { purgeExpiredIdempotencyKeys } from "../modules/idempotency/purge";
import { releaseExpiredReservations } from "../modules/inventory/release-expired.cron";
import { relayOutboxJob } from "../modules/jobs/relay";
import { retryPendingRefundsJob } from "../modules/orders/order-refunds.cron";
import { settleOrderPaymentsJob } from "../modules/orders/order-payments.cron";
import { applyExpiredWebhookLeasesJob } from "../modules/orders/apply-payment-event";
import { reconcilePaymentsJob } from "../modules/payments/reconcile";
import { dailySalesReportJob } from "../modules/reports/reports.cron";
import type { CronJob } from "./cron-job";
import { purgeAsyncRecordsJob } from "./purge-async-records";
import { purgeExpiredTokensJob } from "./purge-expired-tokens";

export type { CronJob } from "./cron-job";

export const EVERY_MINUTE = "* * * * *";
export const EVERY_15_MINUTES = "*/15 * * * *";
export const DAILY = "0 3 * * *";

export const schedules: Record<string, readonly CronJob[]> = {
  // time-critical: events out promptly, stock, stuck payments, decided refunds, captures and voids, and leased webhooks within a minute
  [EVERY_MINUTE]: [
    relayOutboxJob,
    releaseExpiredReservations,
    sweepStuckCheckouts,
    retryPendingRefundsJob,
    settleOrderPaymentsJob,
    applyExpiredWebhookLeasesJob,
  ],
  // reconciliation reads the provider's last 48 h: often enough to refund an orphan fast, rarely enough for its API
  [EVERY_15_MINUTES]: [reconcilePaymentsJob],
  // housekeeping: expired carts already answer 404, so reclaiming their rows daily is enough
  [DAILY]: [
    dailySalesReportJob,
    expireIdleCarts,
    purgeExpiredTokensJob,
    purgeExpiredIdempotencyKeys,
    purgeAsyncRecordsJob,
    purgeFinishedCheckoutsJob,
  ],
};

/** Each run is a trace of its own: its log lines, queued events and outbound calls share its id. */
export function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  setLogLevel(configOf(env).LOG_LEVEL);
  return runInTrace(continueTrace(undefined), () =>
    runJobs(controller.cron, schedules[controller.cron] ?? [], env, controller.scheduledTime),
  );
}

export async function runJobs(cron: string, jobs: readonly CronJob[], env: Env, now: number): Promise<void> {
  const results = await Promise.allSettled(jobs.map((job) => job.run(env, now)));
  results.forEach((result, index) => {
    if (result.status === "rejected") {
      log.error("cron job failed", { cron, job: jobs[index]?.name, error: result.reason });
    }
  });
  if (results.some((result) => result.status === "rejected")) throw new Error(`cron ${cron}: a job failed`);
}
