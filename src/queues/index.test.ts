import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { backoffSeconds, handleQueueBatch, jobHandlers } from ".";
import type { JobMessage } from "./messages";

const message = (id: string, type: string, attempts = 1) => ({
  id,
  timestamp: Date.now(),
  attempts,
  body: { id, type, version: 1, occurredAt: Date.now(), data: {} } satisfies JobMessage,
});

describe("queue dispatch", () => {
  afterEach(() => {
    delete jobHandlers["test.ok"];
    delete jobHandlers["test.fail"];
  });

  it("acks each handled message and retries a failing one with backoff, independently", async () => {
    jobHandlers["test.ok"] = async () => {};
    jobHandlers["test.fail"] = async () => { throw new Error("downstream 500"); };
    const batch = createMessageBatch<JobMessage>("motor-jobs", [message("m1", "test.ok"), message("m2", "test.fail", 3)]);
    const ctx = createExecutionContext();
    const original = console.error;
    console.error = () => {};
    try {
      await handleQueueBatch(batch, env);
    } finally {
      console.error = original;
    }
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    // the vitest harness records which messages were retried but drops their delay (see below)
    expect(result.retryMessages).toEqual([{ msgId: "m2" }]);
  });

  it("passes the exponential delay for the message's attempt count to retry()", async () => {
    jobHandlers["test.fail"] = async () => { throw new Error("downstream 500"); };
    const delays: (number | undefined)[] = [];
    const recording = {
      ...message("m3", "test.fail", 4),
      ack: () => {},
      retry: (options?: QueueRetryOptions) => delays.push(options?.delaySeconds),
    };
    const original = console.error;
    console.error = () => {};
    try {
      await handleQueueBatch({ queue: "motor-jobs", messages: [recording] } as unknown as MessageBatch<JobMessage>, env);
    } finally {
      console.error = original;
    }
    expect(delays).toEqual([40]);
  });

  it("grows the backoff exponentially up to a cap", () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([5, 10, 20, 40]);
    expect(backoffSeconds(50)).toBe(900);
  });
});
