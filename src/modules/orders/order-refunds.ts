/**
 * Sending a decided refund to the provider. The decision (a pending `order_refunds` row) is already
 * durable when this runs, so a crash or a provider failure here loses nothing: the refund stays
 * pending and `retryPendingRefunds` (every minute) sends it again under the same provider key,
 * which the provider answers once. Money goes back exactly once per row (I4, docs/checkout.md).
 */
import type { CronJob } from "../../cron";
import { createDatabase, type Database } from "../../db/client";
import { configOf, type Env } from "../../env";
import { isSimulatedCrash } from "../../platform/faults";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { findDueRefunds, markRefundFailed, markRefundSucceeded, type OrderRefundRow } from "./order-refunds.repository";

const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 60 * 60 * 1000;
const BATCH = 50;

export const refundRetryDelayMs = (attempts: number) => Math.min(RETRY_BASE_MS * 2 ** Math.min(attempts, 10), RETRY_MAX_MS);

/** Sends one pending refund; true when the provider confirmed it. Never throws for a provider failure. */
export async function settleRefund(db: Database, payments: PaymentProvider, refund: OrderRefundRow, now: number): Promise<boolean> {
  if (refund.status !== "pending") return true;
  if (!refund.paymentId) {
    // nothing was charged (a free order): nothing to send back
    await markRefundSucceeded(db, refund.id, "none", now);
    return true;
  }
  try {
    const result = await payments.refund({ paymentId: refund.paymentId, idempotencyKey: refund.providerKey, amount: refund.amount });
    await markRefundSucceeded(db, refund.id, result.refundId, now);
    return true;
  } catch (error) {
    if (isSimulatedCrash(error)) throw error;
    await markRefundFailed(db, refund.id, String(error), now + refundRetryDelayMs(refund.attempts), now);
    console.error(JSON.stringify({ level: "warn", msg: "refund failed; it stays pending and is retried", refundId: refund.id, orderId: refund.orderId, error: String(error) }));
    return false;
  }
}

export async function retryPendingRefunds(db: Database, payments: PaymentProvider, now: number): Promise<number> {
  let settled = 0;
  for (const refund of await findDueRefunds(db, now, BATCH)) if (await settleRefund(db, payments, refund, now)) settled++;
  return settled;
}

export const retryPendingRefundsJob: CronJob = {
  name: "retry-pending-refunds",
  run: async (env: Env, now: number) => {
    await retryPendingRefunds(createDatabase(env.DB), paymentProviderFor(env, configOf(env)), now);
  },
};
