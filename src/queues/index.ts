/**
 * Queue dispatch: each message is handled and acked on its own, so one poison message never holds
 * back its neighbours; every consumer skips an event it already processed, so a redelivery repeats
 * nothing; after `max_retries` the dead-letter consumer records it. A batch's processed marks cost
 * one D1 read and one write, and its consumers share reads through a BatchScope (docs/capacity.md).
 * docs/async.md, "Queue consumer".
 */
import { createDatabase } from "../db/client";
import { configOf, type Env } from "../env";
import { log, setLogLevel } from "../platform/observability/log";
import { continueTrace, runInTrace } from "../platform/observability/trace";
import { recordDeadLetter, recordRetry } from "../modules/jobs/failures.repository";
import {
  markProcessed,
  processedMarks,
  type ProcessedMark,
  type ProcessedMarks,
} from "../modules/jobs/processed-events";
import { newBatchScope, type BatchScope, type Consumer } from "./consumer-types";
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

export async function processBatch(
  batch: MessageBatch<JobMessage>,
  env: Env,
  registry: readonly Consumer[],
): Promise<void> {
  if (isDeadLetterQueue(batch.queue)) {
    for (const message of batch.messages)
      await runInTrace(traceOf(message), () => recordDead(message, batch.queue, env));
    return;
  }
  const db = createDatabase(env.DB);
  const events = batch.messages
    .filter(
      (message) =>
        isJobMessage(message.body) && registry.some((consumer) => consumer.types.includes(message.body.type)),
    )
    .map((message) => message.body.id);
  let done: ProcessedMarks;
  try {
    done = await processedMarks(db, events);
  } catch (error) {
    // without the marks nothing can run safely: the whole batch comes back later
    for (const message of batch.messages)
      await runInTrace(traceOf(message), () => failed(message, batch.queue, env, error));
    return;
  }
  const scope = newBatchScope();
  const results: Array<{ message: Message<JobMessage>; error?: unknown }> = [];
  const marks: ProcessedMark[] = [];
  for (const message of batch.messages) {
    const error = await runInTrace(traceOf(message), () => runConsumers(message, env, registry, done, scope, marks));
    results.push({ message, error });
  }
  try {
    await markProcessed(db, marks);
  } catch (error) {
    // the work is done but not recorded: redelivery runs it again, which idempotent side effects allow
    for (const result of results) result.error ??= error;
  }
  for (const { message, error } of results) {
    if (error === undefined) {
      message.ack();
      log.debug("job done", { queue: batch.queue, id: message.id, type: message.body.type });
    } else await runInTrace(traceOf(message), () => failed(message, batch.queue, env, error));
  }
}

async function recordDead(message: Message<unknown>, queue: string, env: Env): Promise<void> {
  try {
    await recordDeadLetter(createDatabase(env.DB), asDeadLetterBody(message), message.attempts, Date.now());
    message.ack();
  } catch (error) {
    log.error("job failed", { queue, id: message.id, attempts: message.attempts, error });
    message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
}

async function failed(message: Message<unknown>, queue: string, env: Env, error: unknown): Promise<void> {
  log.error("job failed", { queue, id: message.id, attempts: message.attempts, error });
  if (isJobMessage(message.body)) await rememberFailure(env, message.body, message.attempts, error);
  message.retry({ delaySeconds: backoffSeconds(message.attempts) });
}

/** A dead letter is recorded whatever it holds; a malformed one is wrapped so admins can see it. */
function asDeadLetterBody(message: Message<unknown>): JobMessage {
  if (isJobMessage(message.body)) return message.body;
  return {
    id: message.id,
    type: "malformed",
    version: 0,
    occurredAt: message.timestamp.getTime(),
    data: { raw: message.body },
  };
}

/**
 * Runs every consumer of the message's type that has not processed it yet, adding a mark for each
 * that succeeded; answers the failure (undefined when all succeeded). A consumer whose work is done
 * but whose mark is lost (the isolate dies first) runs again on redelivery, which its idempotent
 * side effects allow.
 */
async function runConsumers(
  message: Message<JobMessage>,
  env: Env,
  registry: readonly Consumer[],
  done: ProcessedMarks,
  scope: BatchScope,
  marks: ProcessedMark[],
): Promise<unknown> {
  const event = message.body;
  if (!isJobMessage(event)) return new Error("malformed message body");
  const failures: string[] = [];
  // marks of this batch count too: the same event twice in one batch runs its consumers once
  const doneInBatch = (consumer: string) =>
    marks.some((mark) => mark.eventId === event.id && mark.consumer === consumer);
  for (const consumer of registry.filter(
    (candidate) =>
      candidate.types.includes(event.type) && !done.has(event.id, candidate.name) && !doneInBatch(candidate.name),
  )) {
    try {
      await consumer.handle(event, env, scope);
      marks.push({ eventId: event.id, consumer: consumer.name });
    } catch (error) {
      failures.push(`${consumer.name}: ${String(error)}`);
    }
  }
  return failures.length > 0 ? new Error(failures.join("; ")) : undefined;
}

/** Best effort: the retry must happen even when D1 is what is failing. */
async function rememberFailure(env: Env, body: JobMessage, attempts: number, error: unknown): Promise<void> {
  try {
    await recordRetry(createDatabase(env.DB), body, attempts, String(error), Date.now());
  } catch (recordError) {
    log.error("could not record the job failure", { id: body.id, error: recordError });
  }
}
