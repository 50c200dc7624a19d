/**
 * Reconciliation (cron): compares what the provider says was charged over the last 48 h (the test
 * ledger, or Stripe PaymentIntents carrying Motor's checkout id) with Motor's orders, checkouts and
 * refunds. It refunds orphan charges (money taken, no order keeps it, no live checkout owns it) with
 * the same request the checkout's compensation would send, and records every mismatch (audited the
 * first time). Idempotent: a second run refunds nothing twice and records nothing twice.
 */
import { inArray } from "drizzle-orm";
import type { CronJob } from "../../cron";
import { createDatabase, type Database } from "../../db/client";
import { checkouts, orderRefunds, orders, type MismatchKind } from "../../db/schema";
import { configOf, type Env } from "../../env";
import type { AuditOrigin } from "../audit/audit.service";
import { fullRefundKey, type PaymentProvider, type ProviderCharge } from "./payment-provider";
import { resolveOthers, type Finding } from "./mismatches.repository";
import { flagMismatch } from "./mismatches";
import { paymentProviderFor } from "./payments.service";

export const RECONCILE_WINDOW_MS = 48 * 60 * 60 * 1000;
const LIVE_CHECKOUT_STATES = new Set(["reserving", "charging", "charged", "compensating"]);
const ENDED_ORDER_STATUSES = new Set(["cancelled", "refunded"]);

export interface ReconcileReport {
  /** Succeeded charges of the window compared with Motor's books. */
  charges: number;
  orphansRefunded: number;
  /** Every finding of this run, including refunded orphans and findings already recorded by an earlier run. */
  findings: number;
  /** Findings this run saw for the first time (recorded and audited now). */
  newFindings: number;
}

/** Who runs it: the cron by default; an admin's request when run by hand (payments.admin.service.ts). */
const CRON_ORIGIN: AuditOrigin = { requestId: "cron:reconcile-payments", ip: null };

/** D1 binds at most 100 parameters per statement: look ids up in slices. */
async function inSlices<T>(ids: string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const slices = Array.from({ length: Math.ceil(ids.length / 90) }, (_, index) => ids.slice(index * 90, index * 90 + 90));
  return (await Promise.all(slices.map(read))).flat();
}

async function loadMotorSide(db: Database, charges: ProviderCharge[]) {
  const paymentIds = charges.map((charge) => charge.paymentId);
  const checkoutIds = charges.flatMap((charge) => (charge.checkoutId ? [charge.checkoutId] : []));
  const [orderRows, checkoutRows] = await Promise.all([
    inSlices(paymentIds, (slice) => db.select().from(orders).where(inArray(orders.paymentId, slice)).all()),
    inSlices(checkoutIds, (slice) => db.select({ id: checkouts.id, state: checkouts.state }).from(checkouts).where(inArray(checkouts.id, slice)).all()),
  ]);
  const refundRows = await inSlices(orderRows.map((order) => order.id), (slice) => db.select({ orderId: orderRefunds.orderId, status: orderRefunds.status }).from(orderRefunds).where(inArray(orderRefunds.orderId, slice)).all());
  return {
    orderByPayment: new Map(orderRows.map((order) => [order.paymentId as string, order])),
    checkoutById: new Map(checkoutRows.map((checkout) => [checkout.id, checkout.state])),
    pendingByOrder: new Set(refundRows.filter((refund) => refund.status === "pending").map((refund) => refund.orderId)),
  };
}

/** What one provider charge says against Motor's books; refunds an orphan on the way. */
async function examine(payments: PaymentProvider, charge: ProviderCharge, motor: Awaited<ReturnType<typeof loadMotorSide>>): Promise<Finding[]> {
  const base = { provider: payments.name, paymentId: charge.paymentId, checkoutId: charge.checkoutId, amount: charge.amount, currency: charge.currency };
  const unrefunded = charge.amount - charge.amountRefunded;
  const order = motor.orderByPayment.get(charge.paymentId);
  if (!order) {
    const checkoutState = charge.checkoutId ? motor.checkoutById.get(charge.checkoutId) : undefined;
    // a live checkout owns its charge: the sweep finishes or compensates it
    if (unrefunded <= 0 || (checkoutState && LIVE_CHECKOUT_STATES.has(checkoutState))) return [];
    const finding = { ...base, kind: "orphan_charge" as const, orderId: null, detail: `charged ${charge.amount} with no order keeping it (checkout ${checkoutState ?? "unknown"})` };
    try {
      // the compensation's own request (same key, same amount): whoever sends it first refunds, once
      await payments.refund({ paymentId: charge.paymentId, idempotencyKey: fullRefundKey(charge.checkoutId ?? charge.paymentId), amount: charge.amount });
      return [{ ...finding, action: "refunded", resolved: true }];
    } catch (error) {
      return [{ ...finding, action: `refund failed, retried next run: ${String(error).slice(0, 200)}`, resolved: false }];
    }
  }
  const ofOrder = { ...base, orderId: order.id, action: null, resolved: false };
  if (ENDED_ORDER_STATUSES.has(order.status) && unrefunded > 0 && !motor.pendingByOrder.has(order.id)) {
    return [{ ...ofOrder, kind: "refund_missing", detail: `order ${order.status} but ${unrefunded} is still charged and no refund is pending` }];
  }
  if (!ENDED_ORDER_STATUSES.has(order.status) && unrefunded <= 0) {
    return [{ ...ofOrder, kind: "refunded_outside_motor", detail: `order ${order.status} but the provider shows the charge fully refunded` }];
  }
  return [];
}

/** `since` defaults to the 48 h window; tests narrow it to what they created. */
export async function reconcilePayments(db: Database, payments: PaymentProvider, now: number, since = now - RECONCILE_WINDOW_MS, origin = CRON_ORIGIN): Promise<ReconcileReport> {
  const charges = (await payments.listCharges(since)).filter((charge) => charge.status === "succeeded");
  const motor = await loadMotorSide(db, charges);
  const report: ReconcileReport = { charges: charges.length, orphansRefunded: 0, findings: 0, newFindings: 0 };
  for (const charge of charges) {
    const findings = await examine(payments, charge, motor);
    for (const finding of findings) {
      report.findings++;
      if (finding.action === "refunded") report.orphansRefunded++;
      if (await flagMismatch(db, finding, now, { actorId: "system:reconcile", origin })) report.newFindings++;
    }
    await resolveOthers(db, charge.paymentId, findings.filter((finding) => !finding.resolved).map((finding) => finding.kind as MismatchKind), now);
  }
  return report;
}

export const reconcilePaymentsJob: CronJob = {
  name: "reconcile-payments",
  run: async (env: Env, now: number) => {
    await reconcilePayments(createDatabase(env.DB), paymentProviderFor(env, configOf(env)), now);
  },
};
