/**
 * Dead letters for admins: list them, and replay one by sending its original message back to the
 * JOBS queue. The message keeps its id, so consumers that already handled it skip it (processed
 * events) and only the one that failed runs again.
 */
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { ConflictError, NotFoundError } from "../../platform/errors";
import { decodeCursor, toPage } from "../../platform/pagination";
import { isJobMessage } from "../../queues/messages";
import { findFailure, listDeadLetters, markReplayed, type JobFailureRow } from "./failures.repository";
import { failedJobCursorSchema, type FailedJob, type FailedJobListQuery } from "./jobs.schemas";

const toFailedJob = (row: JobFailureRow): FailedJob => ({
  id: row.id,
  type: row.type,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  body: row.body,
  firstFailedAt: new Date(row.firstFailedAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

export async function listFailedJobs(db: Database, query: FailedJobListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, failedJobCursorSchema) : undefined;
  const rows = await listDeadLetters(db, query.limit, after);
  return toPage(rows, query.limit, toFailedJob, (row) => ({ updatedAt: row.updatedAt, id: row.id }));
}

export async function replayFailedJob(env: Env, db: Database, id: string): Promise<FailedJob> {
  const row = await findFailure(db, id);
  if (!row || row.status === "retrying") throw new NotFoundError({ detail: "No dead letter has this id" });
  if (row.status === "replayed") throw new ConflictError({ detail: "This dead letter was already replayed" });
  if (!isJobMessage(row.body))
    throw new ConflictError({ detail: "This dead letter is malformed and cannot be replayed" });
  await env.JOBS.send(row.body, { contentType: "json" });
  const now = Date.now();
  await markReplayed(db, id, now);
  return toFailedJob({ ...row, status: "replayed", updatedAt: now });
}
