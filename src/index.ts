/** Worker entry: the HTTP app, the queue consumer, the cron dispatcher and the Durable Object classes. */
import { createApp } from "./app";
import { handleScheduled } from "./cron";
import type { Env } from "./env";
import { handleQueueBatch } from "./queues";
import type { JobMessage } from "./queues/messages";
import { escapedErrorResponse, guardedContext, loggedEscapes } from "./platform/last-resort";

const app = createApp();

/**
 * The storefront's hashed bundles belong to the `motor-web` Worker (wrangler.web.toml). In
 * production a route sends `/assets/*` there directly; where none does (wrangler dev, a bare
 * workers.dev URL) they pass through here untouched — no middleware, as if Motor never ran.
 * Nothing thrown below reaches the runtime as raw text: see platform/last-resort.ts.
 */
async function fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  try {
    if (new URL(request.url).pathname.startsWith("/assets/")) return await env.ASSETS.fetch(request);
    return await app.fetch(request, env, guardedContext(ctx));
  } catch (error) {
    return escapedErrorResponse(request, error, env.APP_ENV === "production");
  }
}

function queue(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  return loggedEscapes("queue", { queue: batch.queue, messages: batch.messages.length }, () =>
    handleQueueBatch(batch, env),
  );
}

function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  return loggedEscapes("scheduled", { cron: controller.cron }, () => handleScheduled(controller, env));
}

export default { fetch, queue, scheduled } satisfies ExportedHandler<Env, JobMessage>;

export { RateLimiter } from "./durable-objects/rate-limiter";
export { StockLock } from "./durable-objects/stock-lock";
