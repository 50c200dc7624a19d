/**
 * The audit log: staff and admin actions and security events (logins, resets, role changes,
 * token reuse), with actor, request id, IP and time. `auditInsert` is batchable so an action and
 * its audit row commit together; `recordAudit` writes one on its own (e.g. a failed login).
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../../db/client";
import { auditLog } from "../../db/schema";
import { newId } from "../../platform/ids";
import { decodeCursor, toPage } from "../../platform/pagination";
import { listAudit } from "./audit.repository";
import { auditCursorSchema, type AuditQuery } from "./audit.schemas";

export interface AuditEntry {
  action: string;
  actorId?: string | null;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/** Where the action came from; handlers build it with `auditOrigin(c)`. */
export interface AuditOrigin {
  requestId: string;
  ip: string | null;
}

export function auditInsert(db: Database, origin: AuditOrigin, entry: AuditEntry) {
  return db.insert(auditLog).values({
    id: newId("aud"),
    action: entry.action,
    actorId: entry.actorId ?? null,
    subject: entry.subject ?? null,
    requestId: origin.requestId,
    ip: origin.ip,
    details: entry.details ?? null,
    createdAt: Date.now(),
  });
}

/** A staff member acting through the admin API, and where the request came from. */
export interface Actor {
  userId: string;
  origin: AuditOrigin;
}

/**
 * Runs an admin change and its audit row in ONE batch (D1's only transaction): the change is never
 * committed without its trace, nor the trace without the change. Answers the change's results.
 */
export async function commitAudited(
  db: Database,
  actor: Actor,
  entry: Omit<AuditEntry, "actorId">,
  statements: BatchItem<"sqlite">[],
): Promise<unknown[]> {
  const results = await db.batch([
    ...statements,
    auditInsert(db, actor.origin, { ...entry, actorId: actor.userId }),
  ] as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return results.slice(0, statements.length);
}

export async function recordAudit(db: Database, origin: AuditOrigin, entry: AuditEntry): Promise<void> {
  await auditInsert(db, origin, entry);
}

/** One page of the log for admins; a tampered cursor is a 400 (decodeCursor). */
export async function auditPage(db: Database, query: AuditQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, auditCursorSchema) : undefined;
  const rows = await listAudit(db, { action: query.action, actorId: query.actorId, after, limit: query.limit });
  return toPage(
    rows,
    query.limit,
    (row) => ({
      id: row.id,
      action: row.action,
      actorId: row.actorId,
      subject: row.subject,
      requestId: row.requestId,
      ip: row.ip,
      details: row.details ?? null,
      createdAt: new Date(row.createdAt).toISOString(),
    }),
    (row) => ({ t: row.createdAt, id: row.id }),
  );
}
