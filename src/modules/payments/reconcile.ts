/**
 * Reconciliation (cron): compares what the provider says was charged since the stored watermark
 * (minus an overlap; the last 48 h on the first run), every page of it (the test ledger, or Stripe
 * PaymentIntents carrying Motor's checkout id) with Motor's orders, checkouts and
 * refunds. It refunds orphan charges (money taken, no order keeps it, no live checkout owns it) with
 * the same request the checkout's compensation would send, and records every mismatch (audited the
 * first time). Idempotent: a second run refunds nothing twice and records nothing twice.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { CronJob } from "../../cron";
import { createDatabase, type Database } from "../../db/client";
import {
  checkouts,
  orderRefunds,
  orders,
  paymentMismatches,
  paymentReconcileWatermarks,
  type MismatchKind,
} from "../../db/schema";
import { configOf, type Env } from "../../env";
import type { AuditOrigin } from "../audit/audit.service";
import { MAX_CHARGE_PAGE, type PaymentProvider, type ProviderCharge } from "./payment-provider";
import { resolveOthers, type Finding } from "./mismatches.repository";
import { flagMismatch } from "./mismatches";
import { refundOrphanCharge } from "./orphan-refund";
import { paymentProviderFor } from "./payments.service";

/** The first run's window, and the oldest a watermark held back by a live charge may stay. */
export const RECONCILE_WINDOW_MS = 48 * 60 * 60 * 1000;
/** Each run re-reads this much before the watermark: a charge committed late with an earlier time, clock skew. */
export const RECONCILE_OVERLAP_MS = 60 * 60 * 1000;
/** A run walks its window in spans of this length, oldest first, saving the watermark after each. */
export const RECONCILE_SPAN_MS = 60 * 60 * 1000;
const LIVE_CHECKOUT_STATES = new Set(["reserving", "charging", "requires_action", "charged", "compensating"]);
const ENDED_ORDER_STATUSES = new Set(["cancelled", "refunded"]);

export interface ReconcileReport {
  /** Succeeded charges of the window compared with Motor's books. */
  charges: number;
  orphansRefunded: number;
  /** Every finding of this run, including refunded orphans and findings already recorded by an earlier run. */
  findings: number;
  /** Findings this run saw for the first time (recorded and audited now). */
  newFindings: number;
  /** The window this run read: `[from, until)` (ms). */
  from: number;
  until: number;
}

/** Who runs it: the cron by default; an admin's request when run by hand (payments.admin.service.ts). */
const CRON_ORIGIN: AuditOrigin = { requestId: "cron:reconcile-payments", ip: null };

/** D1 binds at most 100 parameters per statement: look ids up in slices. */
async function inSlices<T>(ids: string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const slices = Array.from({ length: Math.ceil(ids.length / 90) }, (_, index) =>
    ids.slice(index * 90, index * 90 + 90),
  );
  return (await Promise.all(slices.map(read))).flat();
}

const ordersOf = (db: Database, paymentIds: string[]) =>
  inSlices(paymentIds, (slice) => db.select().from(orders).where(inArray(orders.paymentId, slice)).all());

/**
 * Checkouts are read BEFORE orders: the order batch writes the order and moves
 * its checkout to `completed` together, so a checkout read as not completed that is completed by the
 * time orders are read shows its order; read the other way round (or in parallel), the order could
 * commit in between and a `completed` checkout would be seen with no order, and refunded.
 */
async function loadMotorSide(db: Database, charges: ProviderCharge[]) {
  const checkoutIds = charges.flatMap((charge) => (charge.checkoutId ? [charge.checkoutId] : []));
  const checkoutRows = await inSlices(checkoutIds, (slice) =>
    db.select({ id: checkouts.id, state: checkouts.state }).from(checkouts).where(inArray(checkouts.id, slice)).all(),
  );
  const orderRows = await ordersOf(
    db,
    charges.map((charge) => charge.paymentId),
  );
  const refundRows = await inSlices(
    orderRows.map((order) => order.id),
    (slice) =>
      db
        .select({ orderId: orderRefunds.orderId, status: orderRefunds.status })
        .from(orderRefunds)
        .where(inArray(orderRefunds.orderId, slice))
        .all(),
  );
  const openRows = await inSlices(
    charges.map((charge) => charge.paymentId),
    (slice) =>
      db
        .select({ paymentId: paymentMismatches.paymentId })
        .from(paymentMismatches)
        .where(and(inArray(paymentMismatches.paymentId, slice), eq(paymentMismatches.status, "open")))
        .all(),
  );
  return {
    /** Payments with an open finding: only these can have one to resolve (one query a page, not one a charge). */
    withOpenFinding: new Set(openRows.map((row) => row.paymentId)),
    orderByPayment: new Map(orderRows.map((order) => [order.paymentId as string, order])),
    checkoutById: new Map(checkoutRows.map((checkout) => [checkout.id, checkout.state])),
    pendingByOrder: new Set(refundRows.filter((refund) => refund.status === "pending").map((refund) => refund.orderId)),
  };
}

type MotorSide = Awaited<ReturnType<typeof loadMotorSide>>;

/** What one provider charge says against Motor's books; refunds an orphan on the way. `held`: a later run must look again. */
async function examine(
  db: Database,
  payments: PaymentProvider,
  charge: ProviderCharge,
  motor: MotorSide,
): Promise<{ findings: Finding[]; held: boolean }> {
  const base = {
    provider: payments.name,
    paymentId: charge.paymentId,
    checkoutId: charge.checkoutId,
    amount: charge.amount,
    currency: charge.currency,
  };
  const unrefunded = charge.amount - charge.amountRefunded;
  const order = motor.orderByPayment.get(charge.paymentId);
  if (!order) {
    if (unrefunded <= 0) return { findings: [], held: false };
    const checkoutState = charge.checkoutId ? motor.checkoutById.get(charge.checkoutId) : undefined;
    // a live checkout owns its charge: the sweep finishes or compensates it (looked at again next run)
    if (checkoutState && LIVE_CHECKOUT_STATES.has(checkoutState)) return { findings: [], held: true };
    // a completed checkout wrote its order in the same batch: never refund it, a person looks
    if (checkoutState === "completed") {
      return {
        findings: [
          {
            ...base,
            kind: "orphan_charge",
            orderId: null,
            detail: `charged ${charge.amount}, checkout completed but no order found with this payment: not refunded`,
            action: null,
            resolved: false,
          },
        ],
        held: true,
      };
    }
    // the last word before money moves: an order committed since the read keeps its charge
    const [committed] = await ordersOf(db, [charge.paymentId]);
    if (committed)
      return examine(db, payments, charge, { ...motor, orderByPayment: new Map([[charge.paymentId, committed]]) });
    const finding = {
      ...base,
      kind: "orphan_charge" as const,
      orderId: null,
      detail: `charged ${charge.amount} with no order keeping it (checkout ${checkoutState ?? "unknown"})`,
    };
    try {
      // the compensation's own request (orphan-refund.ts): whoever sends it first refunds, once
      await refundOrphanCharge(payments, {
        paymentId: charge.paymentId,
        checkoutId: charge.checkoutId ?? charge.paymentId,
        amount: charge.amount,
      });
      return {
        findings: [{ ...finding, action: charge.uncaptured ? "voided" : "refunded", resolved: true }],
        held: false,
      };
    } catch (error) {
      return {
        findings: [
          { ...finding, action: `refund failed, retried next run: ${String(error).slice(0, 200)}`, resolved: false },
        ],
        held: true,
      };
    }
  }
  // an authorisation an order holds took no money yet: the order's capture or void settles it (order-payment.ts)
  if (charge.uncaptured) return { findings: [], held: false };
  const ofOrder = { ...base, orderId: order.id, action: null, resolved: false };
  if (ENDED_ORDER_STATUSES.has(order.status) && unrefunded > 0 && !motor.pendingByOrder.has(order.id)) {
    return {
      findings: [
        {
          ...ofOrder,
          kind: "refund_missing",
          detail: `order ${order.status} but ${unrefunded} is still charged and no refund is pending`,
        },
      ],
      held: false,
    };
  }
  if (!ENDED_ORDER_STATUSES.has(order.status) && unrefunded <= 0) {
    return {
      findings: [
        {
          ...ofOrder,
          kind: "refunded_outside_motor",
          detail: `order ${order.status} but the provider shows the charge fully refunded`,
        },
      ],
      held: false,
    };
  }
  return { findings: [], held: false };
}

/** Every page of `[from, until)`, no cap: compares each page with Motor's books. Returns the oldest charge left for a later run. */
async function reconcileSpan(
  db: Database,
  payments: PaymentProvider,
  from: number,
  until: number,
  now: number,
  origin: AuditOrigin,
  report: ReconcileReport,
): Promise<number> {
  let oldestHeld = Infinity;
  let cursor: string | undefined;
  do {
    const page = await payments.listCharges({ since: from, until, limit: MAX_CHARGE_PAGE, cursor });
    cursor = page.nextCursor ?? undefined;
    // a charge still processing may succeed later: look at it again
    for (const charge of page.data)
      if (charge.status === "processing") oldestHeld = Math.min(oldestHeld, charge.createdAt);
    const charges = page.data.filter((charge) => charge.status === "succeeded");
    const motor = await loadMotorSide(db, charges);
    report.charges += charges.length;
    for (const charge of charges) {
      const { findings, held } = await examine(db, payments, charge, motor);
      if (held) oldestHeld = Math.min(oldestHeld, charge.createdAt);
      for (const finding of findings) {
        report.findings++;
        if (finding.action === "refunded" || finding.action === "voided") report.orphansRefunded++;
        if (await flagMismatch(db, finding, now, { actorId: "system:reconcile", origin })) report.newFindings++;
      }
      if (motor.withOpenFinding.has(charge.paymentId))
        await resolveOthers(
          db,
          charge.paymentId,
          findings.filter((finding) => !finding.resolved).map((finding) => finding.kind as MismatchKind),
          now,
        );
    }
  } while (cursor);
  return oldestHeld;
}

export async function readWatermark(db: Database, provider: string): Promise<number | undefined> {
  const row = await db
    .select({ reachedAt: paymentReconcileWatermarks.reachedAt })
    .from(paymentReconcileWatermarks)
    .where(eq(paymentReconcileWatermarks.provider, provider))
    .get();
  return row?.reachedAt;
}

async function saveWatermark(db: Database, provider: string, reachedAt: number, now: number): Promise<void> {
  await db
    .insert(paymentReconcileWatermarks)
    .values({ provider, reachedAt, updatedAt: now })
    .onConflictDoUpdate({ target: paymentReconcileWatermarks.provider, set: { reachedAt, updatedAt: now } })
    .run();
}

/**
 * One run. Without `since` (the cron): from the stored watermark minus `RECONCILE_OVERLAP_MS` (the
 * last 48 h on the first run) to `now`, walked oldest span first; after each complete span the
 * watermark moves to its end — or to the oldest charge left for a later run (live checkout,
 * processing, refund failed, completed checkout without order), never further back than 48 h.
 * With `since` (tests, the admin's run): that window, watermark neither read nor moved.
 */
export async function reconcilePayments(
  db: Database,
  payments: PaymentProvider,
  now: number,
  since?: number,
  origin = CRON_ORIGIN,
): Promise<ReconcileReport> {
  const watermark = since === undefined ? await readWatermark(db, payments.name) : undefined;
  const from =
    since ?? (watermark === undefined ? now - RECONCILE_WINDOW_MS : Math.min(now, watermark) - RECONCILE_OVERLAP_MS);
  const until = now + 1; // charges created at `now` included
  const report: ReconcileReport = { charges: 0, orphansRefunded: 0, findings: 0, newFindings: 0, from, until };
  let oldestHeld = Infinity;
  // spans only give the watermark somewhere to stop: an explicit window is one span
  const span = since === undefined ? RECONCILE_SPAN_MS : Infinity;
  for (let spanFrom = from; spanFrom < until; spanFrom += span) {
    const spanUntil = Math.min(until, spanFrom + span);
    oldestHeld = Math.min(oldestHeld, await reconcileSpan(db, payments, spanFrom, spanUntil, now, origin, report));
    if (since === undefined)
      await saveWatermark(db, payments.name, Math.max(Math.min(spanUntil, oldestHeld), now - RECONCILE_WINDOW_MS), now);
  }
  return report;
}

export const reconcilePaymentsJob: CronJob = {
  name: "reconcile-payments",
  run: async (env: Env, now: number) => {
    await reconcilePayments(createDatabase(env.DB), paymentProviderFor(env, configOf(env)), now);
  },
};
