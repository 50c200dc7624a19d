import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { backoffSeconds, handleQueueBatch, processBatch } from ".";
import { batchOf, jobMessage, queueMessage, quietly } from "../../test/helpers/queue";
import { callJson } from "../../test/helpers/http";
import { d1FailingOn } from "../../test/helpers/d1";
import { createUser } from "../../test/helpers/auth";
import type { Consumer } from "./consumer-types";
import type { JobMessage } from "./messages";
import { ServerTimings, timedD1 } from "../platform/timing";

function countingConsumer(name: string, type: string, failTimes = 0) {
  const calls: string[] = [];
  let failures = failTimes;
  const consumer: Consumer = {
    name,
    types: [type],
    handle: async (message) => {
      calls.push(message.id);
      if (failures > 0) {
        failures--;
        throw new Error(`${name} downstream 500`);
      }
    },
  };
  return { consumer, calls };
}

const asRuntimeMessage = (body: JobMessage, attempts = 1) => ({ id: body.id, timestamp: new Date(), attempts, body });

describe("queue dispatch", () => {
  it("acks each handled message and retries a failing one with backoff, independently", async () => {
    const ok = countingConsumer("ok", "test.ok");
    const failing = countingConsumer("failing", "test.fail", 99);
    const good = jobMessage("test.ok");
    const bad = jobMessage("test.fail");
    const batch = createMessageBatch<JobMessage>("motor-jobs", [asRuntimeMessage(good), asRuntimeMessage(bad, 3)]);
    await quietly(() => processBatch(batch, env, [ok.consumer, failing.consumer]));
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toEqual([good.id]);
    // the vitest harness records which messages were retried but drops their delay (see below)
    expect(result.retryMessages).toEqual([{ msgId: bad.id }]);
  });

  it("passes the exponential delay for the message's attempt count to retry()", async () => {
    const failing = countingConsumer("failing", "test.fail", 99);
    const { message, outcome } = queueMessage(jobMessage("test.fail"), 4);
    await quietly(() => processBatch(batchOf("motor-jobs", message), env, [failing.consumer]));
    expect(outcome).toEqual({ acked: false, retried: 40 });
  });

  it("grows the backoff exponentially up to a cap", () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([5, 10, 20, 40]);
    expect(backoffSeconds(50)).toBe(900);
  });

  it("does nothing twice when the same message is delivered again", async () => {
    const counting = countingConsumer("counting", "test.once");
    const body = jobMessage("test.once");
    for (const attempts of [1, 2]) {
      const { message, outcome } = queueMessage(body, attempts);
      await processBatch(batchOf("motor-jobs", message), env, [counting.consumer]);
      expect(outcome.acked).toBe(true);
    }
    expect(counting.calls).toEqual([body.id]);
  });

  it("after a partial failure, the redelivery runs only the consumer that failed", async () => {
    const first = countingConsumer("first", "test.fanout");
    const flaky = countingConsumer("flaky", "test.fanout", 1);
    const body = jobMessage("test.fanout");
    const attempt1 = queueMessage(body, 1);
    await quietly(() => processBatch(batchOf("motor-jobs", attempt1.message), env, [first.consumer, flaky.consumer]));
    expect(attempt1.outcome.retried).toBe(5);
    const attempt2 = queueMessage(body, 2);
    await processBatch(batchOf("motor-jobs", attempt2.message), env, [first.consumer, flaky.consumer]);
    expect(attempt2.outcome.acked).toBe(true);
    expect(first.calls).toHaveLength(1);
    expect(flaky.calls).toHaveLength(2);
  });

  it("keeps the marks of a whole batch in one D1 read and one write, however many messages and consumers it has", async () => {
    const [first, second] = [countingConsumer("first", "test.both"), countingConsumer("second", "test.both")];
    const timings = new ServerTimings();
    const counted = { ...env, DB: timedD1(env.DB, timings) };
    const deliveries = [1, 2, 3].map(() => queueMessage(jobMessage("test.both")));
    await processBatch(batchOf("motor-jobs", ...deliveries.map((delivery) => delivery.message)), counted, [
      first.consumer,
      second.consumer,
    ]);
    expect(deliveries.map((delivery) => delivery.outcome.acked)).toEqual([true, true, true]);
    expect([first.calls.length, second.calls.length]).toEqual([3, 3]);
    expect(timings.count("d1")).toBe(2);
    // and the marks are real: the same messages delivered again run nothing
    const again = deliveries.map((delivery) => queueMessage(delivery.message.body, 2));
    await processBatch(batchOf("motor-jobs", ...again.map((delivery) => delivery.message)), env, [
      first.consumer,
      second.consumer,
    ]);
    expect([first.calls.length, second.calls.length]).toEqual([3, 3]);
  });

  it("runs nothing and retries the whole batch when the marks cannot be read", async () => {
    const counting = countingConsumer("counting", "test.down");
    const deliveries = [1, 2].map(() => queueMessage(jobMessage("test.down")));
    const broken = { ...env, DB: d1FailingOn(() => true) };
    await quietly(() =>
      processBatch(batchOf("motor-jobs", ...deliveries.map((delivery) => delivery.message)), broken, [
        counting.consumer,
      ]),
    );
    expect(counting.calls).toEqual([]);
    expect(deliveries.map((delivery) => delivery.outcome)).toEqual([
      { acked: false, retried: 5 },
      { acked: false, retried: 5 },
    ]);
  });

  it("retries the messages whose marks could not be written, and their consumers run again on redelivery", async () => {
    const counting = countingConsumer("counting", "test.unmarked");
    const body = jobMessage("test.unmarked");
    const first = queueMessage(body);
    const noWrites = { ...env, DB: d1FailingOn((sql) => /^insert into "processed_events"/i.test(sql)) };
    await quietly(() => processBatch(batchOf("motor-jobs", first.message), noWrites, [counting.consumer]));
    expect(first.outcome).toEqual({ acked: false, retried: 5 });
    const second = queueMessage(body, 2);
    await processBatch(batchOf("motor-jobs", second.message), env, [counting.consumer]);
    expect(second.outcome.acked).toBe(true);
    expect(counting.calls).toEqual([body.id, body.id]);
  });

  it("gives the consumers of one batch a shared read: loaded once, a failed load tried again", async () => {
    let loads = 0;
    let failNext = true;
    const reader: Consumer = {
      name: "reader",
      types: ["test.shared"],
      handle: async (_message, _env, batch) => {
        await batch.once("thing", async () => {
          loads += 1;
          if (failNext) {
            failNext = false;
            throw new Error("flaky read");
          }
          return "thing";
        });
      },
    };
    const deliveries = [1, 2, 3].map(() => queueMessage(jobMessage("test.shared")));
    await quietly(() =>
      processBatch(batchOf("motor-jobs", ...deliveries.map((delivery) => delivery.message)), env, [reader]),
    );
    expect(deliveries.map((delivery) => delivery.outcome.acked)).toEqual([false, true, true]);
    expect(loads).toBe(2);
  });

  it("acks an event no consumer subscribes to", async () => {
    const { message, outcome } = queueMessage(jobMessage("test.nobody"));
    await processBatch(batchOf("motor-jobs", message), env, []);
    expect(outcome.acked).toBe(true);
  });

  it("retries a malformed message instead of crashing the batch, and its neighbour is handled and acked", async () => {
    const counting = countingConsumer("counting", "test.neighbour");
    const malformed = queueMessage({ hello: "world" });
    const good = queueMessage(jobMessage("test.neighbour"));
    await quietly(() => processBatch(batchOf("motor-jobs", malformed.message, good.message), env, [counting.consumer]));
    expect(malformed.outcome).toEqual({ acked: false, retried: 5 });
    expect(good.outcome.acked).toBe(true);
    expect(counting.calls).toEqual([good.message.body.id]);
  });

  it("runs the consumers of an event delivered twice in one batch once, and acks both copies", async () => {
    const counting = countingConsumer("counting", "test.twice");
    const body = jobMessage("test.twice");
    const [first, second] = [queueMessage(body), queueMessage(body)];
    await processBatch(batchOf("motor-jobs", first.message, second.message), env, [counting.consumer]);
    expect(counting.calls).toEqual([body.id]);
    expect([first.outcome.acked, second.outcome.acked]).toEqual([true, true]);
  });

  it("a handler that keeps throwing is retried, then its dead letter is listed with the last error", async () => {
    const admin = await createUser("admin");
    const failing = countingConsumer("always-fails", "test.poison", 99);
    const body = jobMessage("test.poison");
    for (const attempts of [1, 2, 3, 4, 5, 6]) {
      const { message, outcome } = queueMessage(body, attempts);
      await quietly(() => processBatch(batchOf("motor-jobs", message), env, [failing.consumer]));
      expect(outcome.retried).toBe(backoffSeconds(attempts));
    }
    // after max_retries the platform moves the message to the dead-letter queue
    const dlq = createMessageBatch<JobMessage>("motor-jobs-dlq", [asRuntimeMessage(body, 1)]);
    await handleQueueBatch(dlq, env);
    expect((await getQueueResult(dlq, createExecutionContext())).explicitAcks).toEqual([body.id]);
    const { status, body: page } = await callJson<{
      data: { id: string; status: string; attempts: number; lastError: string }[];
    }>("/v1/admin/jobs/failed?limit=100", { token: admin.token });
    expect(status).toBe(200);
    expect(page.data.find((job) => job.id === body.id)).toMatchObject({
      status: "dead",
      attempts: 6,
      lastError: expect.stringContaining("always-fails downstream 500"),
    });
  });

  it("records a malformed dead letter under the message id", async () => {
    const admin = await createUser("admin");
    const { message, outcome } = queueMessage("not an event");
    await handleQueueBatch(batchOf("motor-jobs-dlq", message), env);
    expect(outcome.acked).toBe(true);
    const { body: page } = await callJson<{ data: { id: string; type: string }[] }>("/v1/admin/jobs/failed?limit=100", {
      token: admin.token,
    });
    expect(page.data.find((job) => job.id === message.id)?.type).toBe("malformed");
  });
});
