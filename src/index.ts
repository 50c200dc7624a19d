/** Worker entry: the HTTP app, the queue consumer, the cron dispatcher and the Durable Object classes. */
import { createApp } from "./app";
import { handleScheduled } from "./cron";
import type { Env } from "./env";
import { handleQueueBatch } from "./queues";
import type { JobMessage } from "./queues/messages";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env, JobMessage>;

export { RateLimiter } from "./durable-objects/rate-limiter";
export { StockLock } from "./durable-objects/stock-lock";
