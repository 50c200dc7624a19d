/**
 * Admin views of money: the test provider's ledger (every charge and refund, oldest first, so that
 * anyone can reconcile money against orders over HTTP) and reconciliation's open mismatches; and
 * reconciliation run by hand (its 15-minute cron never fires under `wrangler dev`).
 */
import type { Database } from "../../db/client";
import { recordAudit, type Actor } from "../audit/audit.service";
import type { PaymentProvider } from "./payment-provider";
import { reconcilePayments, RECONCILE_WINDOW_MS } from "./reconcile";
import { NotFoundError } from "../../platform/errors";
import { decodeCursor, toPage } from "../../platform/pagination";
import { listMismatches } from "./mismatches.repository";
import { ledgerCursorSchema, type LedgerEntry, type ReconcileRun } from "./payments.admin.schemas";
import { paymentMovesAfter, paymentsAfter, refundsAfter } from "./payments.repository";

const iso = (ms: number) => new Date(ms).toISOString();

/** Only a deployment running the test provider has a test ledger. */
export async function testLedgerPage(db: Database, provider: string, query: { limit: number; cursor?: string }) {
  if (provider !== "test")
    throw new NotFoundError({ detail: "The test ledger exists only when PAYMENT_PROVIDER is test" });
  const after = query.cursor ? decodeCursor(query.cursor, ledgerCursorSchema) : undefined;
  const [charges, refunds, captures, voids] = await Promise.all([
    paymentsAfter(db, after, query.limit + 1),
    refundsAfter(db, after, query.limit + 1),
    paymentMovesAfter(db, "capture", after, query.limit + 1),
    paymentMovesAfter(db, "void", after, query.limit + 1),
  ]);
  const entries: (LedgerEntry & { t: number })[] = [
    ...charges.map((row) => ({
      t: row.createdAt,
      id: row.id,
      kind: row.captureMethod === "manual" ? ("authorization" as const) : ("charge" as const),
      paymentId: row.id,
      amount: row.amount,
      currency: row.currency,
      idempotencyKey: row.idempotencyKey,
      status: row.status,
      orderId: row.orderId,
      createdAt: iso(row.createdAt),
    })),
    ...captures.map((row) => ({
      t: row.capturedAt ?? 0,
      id: `${row.id}:capture`,
      kind: "capture" as const,
      paymentId: row.id,
      amount: row.amountCaptured ?? 0,
      currency: row.currency,
      idempotencyKey: row.captureKey ?? "",
      status: "succeeded" as const,
      orderId: row.orderId,
      createdAt: iso(row.capturedAt ?? 0),
    })),
    ...voids.map((row) => ({
      t: row.voidedAt ?? 0,
      id: `${row.id}:void`,
      kind: "void" as const,
      paymentId: row.id,
      amount: row.amount,
      currency: row.currency,
      idempotencyKey: "",
      status: "succeeded" as const,
      orderId: row.orderId,
      createdAt: iso(row.voidedAt ?? 0),
    })),
    ...refunds.map(({ refund, payment }) => ({
      t: refund.createdAt,
      id: refund.id,
      kind: "refund" as const,
      paymentId: refund.paymentId,
      amount: refund.amount,
      currency: payment.currency,
      idempotencyKey: refund.idempotencyKey,
      status: refund.status,
      orderId: payment.orderId,
      createdAt: iso(refund.createdAt),
    })),
  ].sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return toPage(
    entries.slice(0, query.limit + 1),
    query.limit,
    ({ t: _t, ...entry }) => entry,
    (entry) => ({ t: entry.t, id: entry.id }),
  );
}

export async function mismatchesPage(
  db: Database,
  query: { limit: number; cursor?: string; status: "open" | "resolved" },
) {
  const after = query.cursor ? decodeCursor(query.cursor, ledgerCursorSchema) : undefined;
  const rows = await listMismatches(db, query.status, after, query.limit);
  return toPage(
    rows,
    query.limit,
    ({ firstSeenAt, lastSeenAt, resolvedAt: _resolvedAt, ...row }) => ({
      ...row,
      firstSeenAt: iso(firstSeenAt),
      lastSeenAt: iso(lastSeenAt),
    }),
    (row) => ({ t: row.firstSeenAt, id: row.id }),
  );
}

/**
 * The cron's job over the last RECONCILE_WINDOW_MS (every page; the cron's watermark is neither read nor moved), now.
 * Its findings are audited as the cron's are (under this request's id); the run itself is audited as the admin's,
 * with what it did.
 */
export async function reconcileNow(
  db: Database,
  payments: PaymentProvider,
  actor: Actor,
  now = Date.now(),
): Promise<ReconcileRun> {
  const from = now - RECONCILE_WINDOW_MS;
  const report = await reconcilePayments(db, payments, now, from, actor.origin);
  const run = {
    checked: report.charges,
    refunded: report.orphansRefunded,
    mismatches: report.findings,
    newMismatches: report.newFindings,
    from: iso(from),
    ranAt: iso(now),
  };
  await recordAudit(db, actor.origin, {
    action: "payments.reconcile",
    actorId: actor.userId,
    subject: payments.name,
    details: { ...run },
  });
  return run;
}
