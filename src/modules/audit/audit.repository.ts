/** Reads of the audit log, newest first, keyset-paginated on (created_at, id). */
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog } from "../../db/schema";

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditFilter {
  action?: string;
  actorId?: string;
  after?: { t: number; id: string };
  limit: number;
}

export async function listAudit(db: Database, filter: AuditFilter): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
    filter.after
      ? or(
          lt(auditLog.createdAt, filter.after.t),
          and(eq(auditLog.createdAt, filter.after.t), lt(auditLog.id, filter.after.id)),
        )
      : undefined,
  ];
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(filter.limit + 1);
}
