/**
 * Queue dispatch: each message is handled on its own and acked on its own, so one poison message
 * never holds back (or replays) its neighbours. A message goes to every consumer of its type; each
 * consumer skips an event it already processed, so a redelivery (or a retry after a partial
 * failure) repeats nothing. A failing message is retried with exponential backoff; after
 * `max_retries` the platform moves it to the dead-letter queue, whose consumer records it in D1.
 */
import { createDatabase } from "../db/client";
import { configOf, type Env } from "../env";
import { log, setLogLevel } from "../platform/observability/log";
import { continueTrace, runInTrace } from "../platform/observability/trace";
import { recordDeadLetter, recordRetry } from "../modules/jobs/failures.repository";
import { markProcessed, processedBy } from "../modules/jobs/processed-events";
import type { Consumer } from "./consumer";
import { consumers } from "./consumers";
import { isJobMessage, type JobMessage } from "./messages";

const MAX_BACKOFF_SECONDS = 15 * 60;

export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.max(0, attempts - 1) * 5);
}

/** The DLQ of every environment is named after its queue: motor-jobs-dlq, motor-jobs-dlq-staging, … */
export function isDeadLetterQueue(queue: string): boolean {
  return queue.startsWith("motor-jobs-dlq");
}

export function handleQueueBatch(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  setLogLevel(configOf(env).LOG_LEVEL);
  return processBatch(batch, env, consumers);
}

/** Each message continues the trace of whatever produced it (its `traceparent`), as a span of its own. */
function traceOf(message: Message<unknown>) {
  const body = message.body as Partial<JobMessage> | null;
  return continueTrace(typeof body?.traceparent === "string" ? body.traceparent : undefined);
}

export async function processBatch(batch: MessageBatch<JobMessage>, env: Env, registry: readonly Consumer[]): Promise<void> {
  const dead = isDeadLetterQueue(batch.queue);
  for (const message of batch.messages) await runInTrace(traceOf(message), () => processMessage(message, batch.queue, dead, env, registry));
}

async function processMessage(message: Message<JobMessage>, queue: string, dead: boolean, env: Env, registry: readonly Consumer[]): Promise<void> {
  try {
    if (dead) await recordDeadLetter(createDatabase(env.DB), asDeadLetterBody(message), message.attempts, Date.now());
    else if (!isJobMessage(message.body)) throw new Error("malformed message body");
    else await dispatch(message.body, env, registry);
    message.ack();
    log.debug("job done", { queue, id: message.id, type: message.body?.type });
  } catch (error) {
    log.error("job failed", { queue, id: message.id, attempts: message.attempts, error });
    if (!dead && isJobMessage(message.body)) await rememberFailure(env, message.body, message.attempts, error);
    message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
}

/** A dead letter is recorded whatever it holds; a malformed one is wrapped so admins can see it. */
function asDeadLetterBody(message: Message<unknown>): JobMessage {
  if (isJobMessage(message.body)) return message.body;
  return { id: message.id, type: "malformed", version: 0, occurredAt: message.timestamp.getTime(), data: { raw: message.body } };
}

/**
 * Runs every consumer of the message's type that has not processed it yet; throws if any failed.
 * The marks cost one read and one write per message, not per consumer; a consumer whose work is
 * done but whose mark is lost (the isolate dies first) runs again on redelivery, which its
 * idempotent side effects allow.
 */
async function dispatch(message: JobMessage, env: Env, registry: readonly Consumer[]): Promise<void> {
  const interested = registry.filter((candidate) => candidate.types.includes(message.type));
  if (interested.length === 0) return;
  const db = createDatabase(env.DB);
  const done = await processedBy(db, message.id, interested.map((consumer) => consumer.name));
  const failures: string[] = [];
  const succeeded: string[] = [];
  for (const consumer of interested.filter((candidate) => !done.has(candidate.name))) {
    try {
      await consumer.handle(message, env);
      succeeded.push(consumer.name);
    } catch (error) {
      failures.push(`${consumer.name}: ${String(error)}`);
    }
  }
  await markProcessed(db, message.id, succeeded);
  if (failures.length > 0) throw new Error(failures.join("; "));
}

/** Best effort: the retry must happen even when D1 is what is failing. */
async function rememberFailure(env: Env, body: JobMessage, attempts: number, error: unknown): Promise<void> {
  try {
    await recordRetry(createDatabase(env.DB), body, attempts, String(error), Date.now());
  } catch (recordError) {
    log.error("could not record the job failure", { id: body.id, error: recordError });
  }
}
