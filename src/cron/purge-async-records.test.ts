import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DAILY, handleScheduled } from ".";
import { createDatabase } from "../db/client";
import { emails, jobFailures, outboxEvents, processedEvents } from "../db/schema";
import { newId } from "../platform/ids";
import { RETENTION_MS } from "./purge-async-records";

const db = () => createDatabase(env.DB);

describe("purge async records (daily cron)", () => {
  it("purges old processed-event records and old published outbox rows, never unpublished ones", async () => {
    const now = Date.now();
    const old = now - RETENTION_MS.processedEvents - 1;
    const [oldEvent, recentEvent] = [newId("evt"), newId("evt")];
    await db()
      .insert(processedEvents)
      .values([
        { eventId: oldEvent, consumer: "c", processedAt: old },
        { eventId: recentEvent, consumer: "c", processedAt: now },
      ]);
    const outbox = (id: string, occurredAt: number, publishedAt: number | null) => ({
      id,
      type: "catalog.changed",
      version: 1,
      data: {},
      occurredAt,
      publishedAt,
    });
    const [publishedLongAgo, unpublishedLongAgo, publishedRecently] = [newId("evt"), newId("evt"), newId("evt")];
    const longAgo = now - RETENTION_MS.publishedOutbox - 1;
    await db()
      .insert(outboxEvents)
      .values([
        outbox(publishedLongAgo, longAgo, longAgo),
        outbox(unpublishedLongAgo, longAgo, null),
        outbox(publishedRecently, now, now),
      ]);

    await handleScheduled(createScheduledController({ cron: DAILY, scheduledTime: now }), env);

    const processed = await db()
      .select()
      .from(processedEvents)
      .where(inArray(processedEvents.eventId, [oldEvent, recentEvent]));
    expect(processed.map((row) => row.eventId)).toEqual([recentEvent]);
    const events = await db()
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(inArray(outboxEvents.id, [publishedLongAgo, unpublishedLongAgo, publishedRecently]));
    expect(events.map((row) => row.id).sort()).toEqual([unpublishedLongAgo, publishedRecently].sort());
  });

  it("purges old local emails, replayed dead letters and long-resolved retries, and keeps dead letters nobody handled", async () => {
    const now = Date.now();
    const old = now - RETENTION_MS.emails - 1;
    const [oldEmail, newEmail] = [newId("eml"), newId("eml")];
    const email = (id: string, createdAt: number) => ({
      id,
      idempotencyKey: id,
      to: "a@example.test",
      subject: "s",
      text: "t",
      html: "h",
      createdAt,
    });
    await db()
      .insert(emails)
      .values([email(oldEmail, old), email(newEmail, now)]);
    const failure = (id: string, status: "dead" | "replayed" | "retrying") => ({
      id,
      type: "t",
      body: {},
      status,
      attempts: 6,
      firstFailedAt: old,
      updatedAt: now - RETENTION_MS.replayed - 1,
    });
    const [dead, replayed, resolved] = [newId("evt"), newId("evt"), newId("evt")];
    await db()
      .insert(jobFailures)
      .values([failure(dead, "dead"), failure(replayed, "replayed"), failure(resolved, "retrying")]);

    await handleScheduled(createScheduledController({ cron: DAILY, scheduledTime: now }), env);

    expect(
      (
        await db()
          .select({ id: emails.id })
          .from(emails)
          .where(inArray(emails.id, [oldEmail, newEmail]))
      ).map((row) => row.id),
    ).toEqual([newEmail]);
    expect(
      (
        await db()
          .select({ id: jobFailures.id })
          .from(jobFailures)
          .where(inArray(jobFailures.id, [dead, replayed, resolved]))
      ).map((row) => row.id),
    ).toEqual([dead]);
  });
});
