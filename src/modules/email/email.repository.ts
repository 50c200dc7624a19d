/** The local email outbox (drizzle only). */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { emails } from "../../db/schema";
import { newId } from "../../platform/ids";
import type { EmailMessage } from "./email.adapter";

export type EmailRow = typeof emails.$inferSelect;

/** A second insert with the same idempotency key is a no-op. */
export async function insertEmail(db: Database, message: EmailMessage, now: number): Promise<void> {
  const { to, subject, text, html, idempotencyKey } = message;
  await db
    .insert(emails)
    .values({ id: newId("eml"), idempotencyKey, to: to.toLowerCase(), subject, text, html, createdAt: now })
    .onConflictDoNothing();
}

export async function listEmails(
  db: Database,
  filter: { to?: string; limit: number; after?: { createdAt: number; id: string } },
): Promise<EmailRow[]> {
  const { to, limit, after } = filter;
  const page = after
    ? or(lt(emails.createdAt, after.createdAt), and(eq(emails.createdAt, after.createdAt), lt(emails.id, after.id)))
    : undefined;
  return db
    .select()
    .from(emails)
    .where(and(to ? eq(emails.to, to.toLowerCase()) : undefined, page))
    .orderBy(desc(emails.createdAt), desc(emails.id))
    .limit(limit + 1);
}
