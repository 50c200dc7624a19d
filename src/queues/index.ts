/**
 * Queue dispatch: each message is handled on its own and acked on its own, so one poison message
 * never holds back (or replays) its neighbours. A failing message is retried with exponential
 * backoff; after `max_retries` the platform moves it to the dead-letter queue.
 */
import type { Env } from "../env";
import type { JobMessage } from "./messages";

export type JobHandler = (message: JobMessage, env: Env) => Promise<void>;

/** Consumers by event type; the async-work module registers its handlers here. */
export const jobHandlers: Record<string, JobHandler> = {};

const MAX_BACKOFF_SECONDS = 15 * 60;

export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.max(0, attempts - 1) * 5);
}

export async function handleQueueBatch(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      const handler = jobHandlers[message.body.type];
      if (!handler) throw new Error(`no consumer for event type "${message.body.type}"`);
      await handler(message.body, env);
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ level: "error", msg: "job failed", queue: batch.queue, id: message.id, attempts: message.attempts, error: String(error) }));
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
