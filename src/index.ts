/** Worker entry: the HTTP app, the queue consumer, the cron dispatcher and the Durable Object classes. */
import { createApp } from "./app";
import { handleScheduled } from "./cron";
import type { Env } from "./env";
import { handleQueueBatch } from "./queues";
import type { JobMessage } from "./queues/messages";

const app = createApp();

/**
 * The storefront's hashed bundles belong to the `motor-web` Worker (wrangler.web.toml). In
 * production a route sends `/assets/*` there directly; where none does (wrangler dev, a bare
 * workers.dev URL) they pass through here untouched — no middleware, as if Motor never ran.
 */
function fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
  if (new URL(request.url).pathname.startsWith("/assets/")) return env.ASSETS.fetch(request);
  return app.fetch(request, env, ctx);
}

export default {
  fetch,
  queue: handleQueueBatch,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env, JobMessage>;

export { RateLimiter } from "./durable-objects/rate-limiter";
export { StockLock } from "./durable-objects/stock-lock";
