/**
 * The minute cron of manual-capture orders (order-payment.ts): captures and voids that did not get
 * through are asked again under their keys, and the expiry policy runs. Policy (docs/payments.md):
 * an authorisation holds 7 days; two days before, the merchant is warned (`order.authorization_expiring`);
 * one day before, an order still only authorised has shipped nothing (its first parcel captures), so
 * it is cancelled — its stock put back, its authorisation voided — rather than left to lapse with
 * goods still promised. Capture what shipped, void the rest: with one capture per payment, what
 * shipped was captured in full at the first parcel or when marked shipped; one that left without
 * either (an order from before, a capture lost in a race) is captured here.
 */
import type { CronJob } from "../../cron";
import { createDatabase, type Database } from "../../db/client";
import { configOf, type Env } from "../../env";
import { log } from "../../platform/observability/log";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { unchangedOrderId } from "./order-guard";
import {
  ACT_BEFORE_EXPIRY_MS,
  capturableAmount,
  captureStatement,
  deferPayment,
  findDuePayments,
  settleOrderPayment,
  SHIPPING_STATUSES,
  warnExpiring,
} from "./order-payment";
import { loadOrderRecord, readOf, type OrderRow } from "./orders.repository";
import { transitionOrder, type OrdersDeps } from "./orders.service";

export const EXPIRY_ACTOR = "system:authorization-expiry";

export async function settleDueOrderPayments(
  deps: OrdersDeps & { payments: PaymentProvider },
  now: number,
): Promise<number> {
  const due = await findDuePayments(deps.db, now);
  for (const order of due) {
    try {
      if (order.paymentStatus !== "authorized") {
        await settleOrderPayment(deps.db, deps.payments, order, now);
      } else if (now >= (order.authorizationExpiresAt ?? now) - ACT_BEFORE_EXPIRY_MS) {
        await actBeforeExpiry(deps, order, now);
      } else {
        await warnExpiring(deps.db, order, now);
      }
    } catch (error) {
      // one order's trouble (a race with staff: 409) does not stop the others, nor comes back every minute
      await deferPayment(deps.db, order.id, error, now);
      log.warn("an order's payment could not be settled this run; looked at again later", {
        orderId: order.id,
        error: String(error).slice(0, 300),
      });
    }
  }
  return due.length;
}

/** Capture what shipped, void the rest: an order the goods left is captured; one that shipped nothing is cancelled (which voids). */
async function actBeforeExpiry(
  deps: OrdersDeps & { payments: PaymentProvider },
  order: OrderRow,
  now: number,
): Promise<void> {
  if (!SHIPPING_STATUSES.has(order.status)) {
    await transitionOrder(deps, {
      orderId: order.id,
      to: "cancelled",
      actor: EXPIRY_ACTOR,
      reason: "the payment authorisation was about to expire with nothing shipped",
      idempotent: true,
    });
    return;
  }
  const record = await loadOrderRecord(deps.db, order.id);
  if (!record) return;
  const [decided] = await deps.db.batch([
    captureStatement(deps.db, order.id, capturableAmount(order, record.refunds), now, unchangedOrderId(readOf(record))),
  ]);
  if (decided.length === 1)
    await settleOrderPayment(
      deps.db,
      deps.payments,
      {
        ...order,
        paymentStatus: "capturing",
        amountCaptured: capturableAmount(order, record.refunds),
        paymentAttempts: 0,
      },
      now,
    );
}

export const settleOrderPaymentsJob: CronJob = {
  name: "settle-order-payments",
  run: async (env: Env, now: number) => {
    const db: Database = createDatabase(env.DB);
    await settleDueOrderPayments({ db, env, payments: paymentProviderFor(env, configOf(env)) }, now);
  },
};
