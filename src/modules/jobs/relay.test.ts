import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { failingQueue, quietly, recordingQueue } from "../../../test/helpers/queue";
import { EVERY_MINUTE, handleScheduled } from "../../cron";
import { createDatabase } from "../../db/client";
import { outboxEvents } from "../../db/schema";
import type { JobMessage } from "../../queues/messages";
import { newEvent, outboxInsert } from "./outbox";
import { flushOutbox, publishEvents, RELAY_GRACE_MS, relayUnpublished } from "./relay";

const db = () => createDatabase(env.DB);

async function committedEvent(occurredAt = Date.now()) {
  const event = { ...newEvent("catalog.changed", { productId: "prod_test" }), occurredAt };
  await outboxInsert(db(), event);
  return event;
}

const publishedAt = async (id: string) =>
  (await db().select().from(outboxEvents).where(eq(outboxEvents.id, id)))[0]?.publishedAt;

describe("outbox relay", () => {
  it("gives every event a unique id and a version", () => {
    const [a, b] = [newEvent("order.paid", {}), newEvent("order.paid", {})];
    expect(a.id).not.toBe(b.id);
    expect(a.version).toBe(1);
    expect(newEvent("order.paid", {}, 2).version).toBe(2);
  });

  it("publishes a committed event right away and marks it published", async () => {
    const event = await committedEvent();
    const queue = recordingQueue();
    expect(await publishEvents(queue.env, [event], 5_000)).toBe(1);
    expect(queue.sent).toEqual([event]);
    expect(await publishedAt(event.id)).toBe(5_000);
  });

  it("a send() that throws leaves the event in the outbox, and the cron publishes it later", async () => {
    const event = await committedEvent();
    expect(await quietly(() => publishEvents(failingQueue(), [event]))).toBe(0);
    expect(await publishedAt(event.id)).toBeNull();

    const queue = recordingQueue();
    const later = Date.now() + RELAY_GRACE_MS + 1_000;
    await handleScheduled(createScheduledController({ cron: EVERY_MINUTE, scheduledTime: later }), queue.env);
    expect(queue.sent.map((sent) => sent.id)).toContain(event.id);
    expect(await publishedAt(event.id)).toBe(later);
  });

  it("the relay cron fails loudly and publishes nothing while the queue is down", async () => {
    const event = await committedEvent(Date.now() - RELAY_GRACE_MS - 1_000);
    const run = handleScheduled(
      createScheduledController({ cron: EVERY_MINUTE, scheduledTime: Date.now() }),
      failingQueue(),
    );
    await quietly(() => expect(run).rejects.toThrow(/a job failed/));
    expect(await publishedAt(event.id)).toBeNull();
  });

  it("leaves very fresh events to the request that wrote them, and sends oldest first", async () => {
    const now = Date.now();
    const older = await committedEvent(now - RELAY_GRACE_MS - 2_000);
    const newer = await committedEvent(now - RELAY_GRACE_MS - 1_000);
    const fresh = await committedEvent(now);
    const queue = recordingQueue();
    await relayUnpublished(queue.env, now);
    const ids = queue.sent.map((sent) => sent.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
    expect(ids).not.toContain(fresh.id);
    expect(await publishedAt(fresh.id)).toBeNull();
  });

  it("running the cron again sends nothing already published", async () => {
    const event = await committedEvent(Date.now() - RELAY_GRACE_MS - 1_000);
    const first = recordingQueue();
    await relayUnpublished(first.env, Date.now());
    const second = recordingQueue();
    await relayUnpublished(second.env, Date.now());
    expect(first.sent.map((sent) => sent.id)).toContain(event.id);
    expect(second.sent.map((sent) => sent.id)).not.toContain(event.id);
  });

  it("one event the queue refuses does not hold back the others; the run still reports it", async () => {
    const now = Date.now();
    const poison = await committedEvent(now - RELAY_GRACE_MS - 2_000);
    const healthy = await committedEvent(now - RELAY_GRACE_MS - 1_000);
    const sent: string[] = [];
    const refusePoison = async (body: { id: string }) => {
      if (body.id === poison.id) throw new Error("Queue send failed: message too large");
      sent.push(body.id);
    };
    const queue = {
      send: refusePoison,
      sendBatch: async (messages: { body: { id: string } }[]) => {
        if (messages.some((message) => message.body.id === poison.id))
          throw new Error("Queue sendBatch failed: message too large");
        for (const message of messages) sent.push(message.body.id);
      },
    };
    const run = relayUnpublished({ ...env, JOBS: queue as unknown as Queue<JobMessage> }, now);
    await quietly(() => expect(run).rejects.toThrow(/could not be sent/));
    expect(sent).toContain(healthy.id);
    expect(await publishedAt(healthy.id)).toBe(now);
    expect(await publishedAt(poison.id)).toBeNull();
  });

  it("requests flushing at once in one isolate send each event once, and every event is published", async () => {
    const events = await Promise.all([committedEvent(), committedEvent(), committedEvent()]);
    const queue = recordingQueue();
    // those that ask while one runs return at once; the running one goes round again for them
    await Promise.all(Array.from({ length: 4 }, () => flushOutbox(queue.env)));
    for (const event of events) {
      expect(queue.sent.filter((sent) => sent.id === event.id)).toHaveLength(1);
      expect(await publishedAt(event.id)).not.toBeNull();
    }
  });

  describe("a flush that was cut off", () => {
    afterEach(() => vi.useRealTimers());

    it("does not stop this isolate's flushes for good: after 30 s a new request starts its own", async () => {
      await committedEvent();
      let sends = 0;
      // the first flush's send never answers, as when its waitUntil is cut off: its finally never runs
      const hung = {
        send: () => new Promise(() => undefined),
        sendBatch: () => {
          sends += 1;
          return new Promise(() => undefined);
        },
      };
      const stuckEnv = { ...env, JOBS: hung as unknown as Queue<JobMessage> };
      void flushOutbox(stuckEnv);
      await vi.waitFor(() => expect(sends).toBe(1));
      void flushOutbox(stuckEnv);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sends).toBe(1);
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 30_000 });
      void flushOutbox(stuckEnv);
      await vi.waitFor(() => expect(sends).toBe(2));
    });
  });
});
