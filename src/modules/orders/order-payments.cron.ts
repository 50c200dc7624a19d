/**
 * The minute cron of manual-capture orders (order-payment.ts): captures and voids that did not get
 * through are asked again under their keys, and the authorisation expiry policy runs (warn the
 * merchant, then cancel and void an order that shipped nothing, before the authorisation lapses).
 * The policy and its deadlines: docs/payments.md, "Authorise now, capture at shipping".
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
  capturingOrder,
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
  const capture = capturableAmount(order, record.refunds);
  const [decided] = await deps.db.batch([
    captureStatement(deps.db, order.id, capture, now, unchangedOrderId(readOf(record))),
  ]);
  if (decided.length === 1) await settleOrderPayment(deps.db, deps.payments, capturingOrder(order, capture), now);
}

export const settleOrderPaymentsJob: CronJob = {
  name: "settle-order-payments",
  run: async (env: Env, now: number) => {
    const db: Database = createDatabase(env.DB);
    await settleDueOrderPayments({ db, env, payments: paymentProviderFor(env, configOf(env)) }, now);
  },
};
