/**
 * Flagging a mismatch between the provider's books and Motor's, for reconciliation and for payment
 * events alike: the row (one per kind and payment) and, the first time it is seen, its audit entry,
 * so a finding seen again (the next run, a redelivered event) is audited once.
 */
import type { Database } from "../../db/client";
import { recordAudit, type AuditOrigin } from "../audit/audit.service";
import { recordFinding, type Finding } from "./mismatches.repository";

export interface FlaggedBy {
  actorId: string;
  origin: AuditOrigin;
}

/** True the first time the finding is seen. */
export async function flagMismatch(db: Database, finding: Finding, now: number, by: FlaggedBy): Promise<boolean> {
  const first = await recordFinding(db, finding, now);
  if (first)
    await recordAudit(db, by.origin, {
      action: `payments.mismatch.${finding.kind}`,
      actorId: by.actorId,
      subject: finding.paymentId,
      details: { ...finding },
    });
  return first;
}
