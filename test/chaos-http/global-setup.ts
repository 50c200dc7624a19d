/**
 * One real `wrangler dev` for the chaos run (its own process group, private seeded state), started
 * and always stopped here, as test/e2e/global-setup.ts does for the e2e suite. It shortens the
 * payment breaker's cool-down (`breaker.openMs`), or one opening would idle much of the run:
 * docs/checkout.md, "The HTTP chaos run".
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
