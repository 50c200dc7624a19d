/**
 * The outbox relay: events committed with their change are sent to the JOBS queue and then marked
 * published. Two paths share one function: right after a request's batch commits
 * (`c.executionCtx.waitUntil(publishEvents(c.env, events))`), and every minute from the cron for
 * anything still unpublished (a failed send, an isolate that died before `waitUntil` finished).
 * A send that succeeds but whose mark fails is sent again later: consumers are idempotent, so the
 * outbox promises at-least-once, never at-most-once.
 */
import { and, asc, inArray, isNull, lte } from "drizzle-orm";
import { createDatabase } from "../../db/client";
import { outboxEvents } from "../../db/schema";
import type { Env } from "../../env";
import type { JobMessage } from "../../queues/messages";
import type { CronJob } from "../../cron/cron-job";
import { log } from "../../platform/observability/log";

/** Queues accept at most 100 messages per sendBatch. */
const SEND_BATCH_SIZE = 100;
/** At most this many batches per cron run, so one run stays well inside its CPU budget. */
const MAX_BATCHES_PER_RUN = 10;
/**
 * The cron leaves events younger than this to the request's own `waitUntil` publish, so the two
 * paths rarely send the same event twice (a duplicate would be harmless, only wasted).
 */
export const RELAY_GRACE_MS = 15_000;

/**
 * Sends one chunk; when the batch is refused, falls back to one send per event so that a single
 * oversized or unsendable event cannot block the others (oldest-first would otherwise stall on it
 * forever). Answers the events that were sent; throws when none could be (the queue is down).
 */
async function sendChunk(env: Env, chunk: JobMessage[]): Promise<JobMessage[]> {
  try {
    await env.JOBS.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
    return chunk;
  } catch (batchError) {
    if (chunk.length === 1) throw batchError;
    const sent: JobMessage[] = [];
    for (const event of chunk) {
      try {
        await env.JOBS.send(event, { contentType: "json" });
        sent.push(event);
      } catch {
        // stays unpublished; logged by the caller
      }
    }
    if (sent.length === 0) throw batchError;
    return sent;
  }
}

/** Sends the events and marks them published; what fails to send stays for the relay cron. */
export async function publishEvents(env: Env, events: JobMessage[], now = Date.now()): Promise<number> {
  let published = 0;
  try {
    for (let start = 0; start < events.length; start += SEND_BATCH_SIZE) {
      const chunk = events.slice(start, start + SEND_BATCH_SIZE);
      const sent = await sendChunk(env, chunk);
      await createDatabase(env.DB)
        .update(outboxEvents)
        .set({ publishedAt: now })
        .where(
          inArray(
            outboxEvents.id,
            sent.map((event) => event.id),
          ),
        );
      published += sent.length;
    }
  } catch (error) {
    log.error("outbox publish failed; the relay cron retries", { events: events.map((event) => event.id), error });
  }
  if (published > 0 && published < events.length) {
    log.error("some outbox events could not be sent", { sent: published, of: events.length });
  }
  return published;
}

/** Publishes unpublished events oldest first, in bounded batches; returns how many it sent. */
export async function relayUnpublished(env: Env, now: number): Promise<number> {
  const db = createDatabase(env.DB);
  let sent = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const rows = await db
      .select()
      .from(outboxEvents)
      .where(and(isNull(outboxEvents.publishedAt), lte(outboxEvents.occurredAt, now - RELAY_GRACE_MS)))
      .orderBy(asc(outboxEvents.occurredAt), asc(outboxEvents.id))
      .limit(SEND_BATCH_SIZE);
    if (rows.length === 0) break;
    const events: JobMessage[] = rows.map(({ id, type, version, occurredAt, data, traceparent }) => ({
      id,
      type,
      version,
      occurredAt,
      data,
      ...(traceparent ? { traceparent } : {}),
    }));
    const published = await publishEvents(env, events, now);
    sent += published;
    // stop rather than select the same refused rows again; the run reports the failure
    if (published < rows.length) throw new Error(`outbox relay: ${rows.length - published} event(s) could not be sent`);
    if (rows.length < SEND_BATCH_SIZE) break;
  }
  return sent;
}

export const relayOutboxJob: CronJob = {
  name: "relay-outbox",
  run: async (env, now) => {
    await relayUnpublished(env, now);
  },
};

/** Per isolate (and env): whether a flush runs (since when), and whether a request asked for one meanwhile. Plain data only. */
const flushes = new WeakMap<Env, { askedAgain: boolean; startedAt: number }>();
/**
 * A flush older than this is taken for dead: `waitUntil` work is cut off about 30 s after its
 * answer, and a cut-off flush never reaches its `finally` to say it ended.
 */
const FLUSH_PRESUMED_DEAD_MS = 30_000;
/** Bounds one request's `waitUntil` under sustained load; what is left goes with the next flush, or the cron. */
const MAX_FLUSH_ROUNDS = 5;

/**
 * Publishes right after a request's batch committed, for handlers whose events should not wait
 * for the minute cron (an order confirmation). It relays every unpublished event, not just the
 * request's own. One flush runs at a time per isolate: a request that asks while one runs has it
 * go round once more (the running one may have read the outbox before that request's batch
 * committed) instead of starting a second flush that would read — and send — the same unpublished
 * events again (under load, every checkout would re-send every other pending event). Another isolate's
 * flush may still send an event twice, which consumers' processed-events table makes harmless. A
 * failure is only logged — the cron is the guarantee, this is the fast path.
 */
export async function flushOutbox(env: Env): Promise<void> {
  const running = flushes.get(env);
  if (running && Date.now() - running.startedAt < FLUSH_PRESUMED_DEAD_MS) {
    running.askedAgain = true;
    return;
  }
  const state = { askedAgain: true, startedAt: Date.now() };
  flushes.set(env, state);
  try {
    for (let round = 0; round < MAX_FLUSH_ROUNDS && state.askedAgain; round++) {
      state.askedAgain = false;
      try {
        await relayUnpublished(env, Date.now() + RELAY_GRACE_MS);
      } catch (error) {
        log.warn("outbox flush failed; the relay cron will retry", { error });
      }
    }
  } finally {
    if (flushes.get(env) === state) flushes.delete(env);
  }
}
