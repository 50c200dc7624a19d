/**
 * The minute cron of order refunds: every pending refund whose next attempt is due (its first send
 * never got through, or failed, or the provider holds it `pending`) is sent, or looked up, again
 * under its own provider key (settle-refund.ts).
 */
import type { CronJob } from "../../cron";
import { createDatabase, type Database } from "../../db/client";
import { configOf, type Env } from "../../env";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { findDueRefunds } from "./order-refunds.repository";
import { settleRefund } from "./settle-refund";

const BATCH = 50;

export async function retryPendingRefunds(db: Database, payments: PaymentProvider, now: number): Promise<number> {
  let settled = 0;
  for (const refund of await findDueRefunds(db, now, BATCH))
    if (await settleRefund(db, payments, refund, now)) settled++;
  return settled;
}

export const retryPendingRefundsJob: CronJob = {
  name: "retry-pending-refunds",
  run: async (env: Env, now: number) => {
    await retryPendingRefunds(createDatabase(env.DB), paymentProviderFor(env, configOf(env)), now);
  },
};
