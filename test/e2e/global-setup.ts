import type { TestProject } from "vitest/node";
import { ensureDevVars } from "../../scripts/dev-secrets.mjs";
import { startWorker, type RunningWorker } from "../../scripts/lib/worker-process.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let worker: RunningWorker | undefined;

export async function setup(project: TestProject) {
  await ensureDevVars(new URL("../../.dev.vars", import.meta.url).pathname);
  worker = await startWorker();
  project.provide("baseUrl", worker.url);
}

export async function teardown() {
  await worker?.stop();
}
