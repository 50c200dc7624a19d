/**
 * One real `wrangler dev` for the chaos run (its own process group, private seeded state), started
 * and always stopped here, as test/e2e/global-setup.ts does for the e2e suite.
 *
 * One setting differs from `npm start`: the payment circuit breaker cools down for 5 s instead of
 * 30 s. It still opens after 5 straight unknown outcomes (the chaos tokens produce them) and still
 * refuses new checkouts with 503 + Retry-After while open; at 30 s one opening would idle a third
 * of a 75-s run. bench/chaos.vitest.config.ts compresses it the same way, for the same reason.
 */
import type { TestProject } from "vitest/node";
import { ensureDevVars } from "../../scripts/dev-secrets.mjs";
import { startWorker, type RunningWorker } from "../../scripts/lib/worker-process.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    chaosBaseUrl: string;
  }
}

let worker: RunningWorker | undefined;

export async function setup(project: TestProject) {
  await ensureDevVars(new URL("../../.dev.vars", import.meta.url).pathname);
  worker = await startWorker({ vars: { OBSERVABILITY: JSON.stringify({ breaker: { openMs: 5_000 } }) } });
  project.provide("chaosBaseUrl", worker.url);
}

export async function teardown() {
  await worker?.stop();
}
