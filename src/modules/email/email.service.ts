/** Reading what the email adapter sent (the local outbox), newest first, cursor-paginated. */
import type { Database } from "../../db/client";
import { decodeCursor, toPage } from "../../platform/pagination";
import { listEmails, type EmailRow } from "./email.repository";
import { emailCursorSchema, type EmailListQuery, type SentEmail } from "./email.schemas";

const toSentEmail = (row: EmailRow): SentEmail => ({
  id: row.id,
  to: row.to,
  subject: row.subject,
  text: row.text,
  html: row.html,
  createdAt: new Date(row.createdAt).toISOString(),
});

export async function listSentEmails(db: Database, query: EmailListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, emailCursorSchema) : undefined;
  const rows = await listEmails(db, { to: query.to, limit: query.limit, after });
  return toPage(rows, query.limit, toSentEmail, (row) => ({ createdAt: row.createdAt, id: row.id }));
}
