/** Reconciliation's findings in D1 (drizzle only): one row per (kind, payment), upserted by each run. */
import { and, asc, eq, gt, inArray, notInArray, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { paymentMismatches, RECONCILED_MISMATCH_KINDS, type MismatchKind } from "../../db/schema";
import { newId } from "../../platform/ids";

export type MismatchRow = typeof paymentMismatches.$inferSelect;

export interface Finding {
  kind: MismatchKind;
  provider: string;
  paymentId: string;
  checkoutId: string | null;
  orderId: string | null;
  amount: number;
  currency: string;
  detail: string;
  /** What reconciliation did; a finding it resolved itself is recorded as `resolved`. */
  action: string | null;
  resolved: boolean;
}

/** Records a finding; true the first time it is seen (only then is it audited). */
export async function recordFinding(db: Database, finding: Finding, now: number): Promise<boolean> {
  const { resolved, ...columns } = finding;
  const status = resolved ? "resolved" : "open";
  const inserted = await db
    .insert(paymentMismatches)
    .values({
      id: newId("mis"),
      ...columns,
      status,
      firstSeenAt: now,
      lastSeenAt: now,
      resolvedAt: resolved ? now : null,
    })
    .onConflictDoNothing()
    .returning({ id: paymentMismatches.id });
  if (inserted.length === 1) return true;
  await db
    .update(paymentMismatches)
    .set({
      lastSeenAt: now,
      detail: finding.detail,
      action: finding.action,
      ...(resolved ? { status, resolvedAt: now } : {}),
    })
    .where(
      and(
        eq(paymentMismatches.kind, finding.kind),
        eq(paymentMismatches.paymentId, finding.paymentId),
        eq(paymentMismatches.status, "open"),
      ),
    )
    .run();
  return false;
}

/**
 * Open findings of a payment that this run no longer sees are resolved — only kinds reconciliation
 * looks for: one a provider event revealed (a failure after success) is not its to resolve.
 */
export async function resolveOthers(
  db: Database,
  paymentId: string,
  stillOpen: MismatchKind[],
  now: number,
): Promise<void> {
  await db
    .update(paymentMismatches)
    .set({ status: "resolved", resolvedAt: now, action: "no longer observed" })
    .where(
      and(
        eq(paymentMismatches.paymentId, paymentId),
        eq(paymentMismatches.status, "open"),
        inArray(paymentMismatches.kind, [...RECONCILED_MISMATCH_KINDS]),
        stillOpen.length ? notInArray(paymentMismatches.kind, stillOpen) : undefined,
      ),
    )
    .run();
}

export function listMismatches(
  db: Database,
  status: "open" | "resolved",
  after: { t: number; id: string } | undefined,
  limit: number,
): Promise<MismatchRow[]> {
  const keyset = after
    ? or(
        gt(paymentMismatches.firstSeenAt, after.t),
        and(eq(paymentMismatches.firstSeenAt, after.t), gt(paymentMismatches.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(paymentMismatches)
    .where(and(eq(paymentMismatches.status, status), keyset))
    .orderBy(asc(paymentMismatches.firstSeenAt), asc(paymentMismatches.id))
    .limit(limit + 1)
    .all();
}
