/** A scheduled job: idempotent (a schedule may fire twice or be retried), given the scheduled time. */
import type { Env } from "../env";

export type CronJob = { name: string; run: (env: Env, now: number) => Promise<void> };
