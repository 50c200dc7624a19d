/**
 * Queue test doubles at the platform boundary: a JOBS binding that records what was sent (or
 * refuses to send), and a message carrying a JobMessage for `processBatch`/`createMessageBatch`.
 */
import { env } from "cloudflare:workers";
import type { Env } from "../../src/env";
import type { JobMessage } from "../../src/queues/messages";
import { newId } from "../../src/platform/ids";

export function recordingQueue() {
  const sent: JobMessage[] = [];
  const queue = {
    send: async (body: JobMessage) => {
      sent.push(body);
    },
    sendBatch: async (messages: Iterable<MessageSendRequest<JobMessage>>) => {
      for (const message of messages) sent.push(message.body);
    },
  } as unknown as Queue<JobMessage>;
  return { sent, env: { ...env, JOBS: queue } as Env };
}

export function failingQueue(): Env {
  const refuse = async () => {
    throw new Error("Queue send failed: 503");
  };
  return { ...env, JOBS: { send: refuse, sendBatch: refuse } as unknown as Queue<JobMessage> } as Env;
}

export function jobMessage(
  type: string,
  data: Record<string, unknown> = {},
  overrides: Partial<JobMessage> = {},
): JobMessage {
  return { id: newId("evt"), type, version: 1, occurredAt: Date.now(), data, ...overrides };
}

/** A queue message as the runtime hands it to the consumer, recording ack/retry (with the delay). */
export function queueMessage(body: unknown, attempts = 1) {
  const outcome: { acked: boolean; retried?: number | undefined } = { acked: false };
  const message = {
    id: newId("msg"),
    timestamp: new Date(),
    attempts,
    body,
    ack: () => {
      outcome.acked = true;
    },
    retry: (options?: QueueRetryOptions) => {
      outcome.retried = options?.delaySeconds ?? 0;
    },
  } as unknown as Message<JobMessage>;
  return { message, outcome };
}

export const batchOf = (queue: string, ...messages: Message<JobMessage>[]) =>
  ({ queue, messages }) as unknown as MessageBatch<JobMessage>;

/** Silences the expected error log lines of a failing job while `work` runs. */
export async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const original = console.error;
  console.error = () => {};
  try {
    return await work();
  } finally {
    console.error = original;
  }
}
