/**
 * Purges the async bookkeeping that has served its purpose. Processed-event records must outlive
 * every possible redelivery (queue retries span minutes; an admin replay of a dead letter can come
 * days later), so they are kept 30 days; published outbox rows 7 days (for debugging); webhook
 * delivery logs, local emails, and replayed or long-resolved failures 30 days. Dead letters are
 * kept until an admin deals with them.
 */
import { and, inArray, isNotNull, lt } from "drizzle-orm";
import { createDatabase } from "../db/client";
import { emails, jobFailures, outboxEvents, processedEvents, webhookDeliveries } from "../db/schema";
import type { CronJob } from "./cron-job";

const DAY_MS = 86_400_000;
export const RETENTION_MS = {
  processedEvents: 30 * DAY_MS,
  publishedOutbox: 7 * DAY_MS,
  deliveries: 30 * DAY_MS,
  emails: 30 * DAY_MS,
  replayed: 30 * DAY_MS,
};

export const purgeAsyncRecordsJob: CronJob = {
  name: "purge-async-records",
  run: async (env, now) => {
    const db = createDatabase(env.DB);
    await db.batch([
      db.delete(processedEvents).where(lt(processedEvents.processedAt, now - RETENTION_MS.processedEvents)),
      db
        .delete(outboxEvents)
        .where(
          and(isNotNull(outboxEvents.publishedAt), lt(outboxEvents.publishedAt, now - RETENTION_MS.publishedOutbox)),
        ),
      db.delete(webhookDeliveries).where(lt(webhookDeliveries.createdAt, now - RETENTION_MS.deliveries)),
      db.delete(emails).where(lt(emails.createdAt, now - RETENTION_MS.emails)),
      // a `retrying` row that old was resolved (a later success) or it would have turned `dead`
      db
        .delete(jobFailures)
        .where(
          and(
            inArray(jobFailures.status, ["replayed", "retrying"]),
            lt(jobFailures.updatedAt, now - RETENTION_MS.replayed),
          ),
        ),
    ]);
  },
};
