/**
 * Cron dispatch by schedule. Each job is idempotent (a schedule may fire twice, or be retried)
 * and isolated: one failing job does not stop the others.
 */
import type { Env } from "../env";

export type CronJob = { name: string; run: (env: Env, now: number) => Promise<void> };

export const EVERY_MINUTE = "* * * * *";
export const DAILY = "0 3 * * *";

/** Jobs by cron expression; modules register theirs here. */
export const cronJobs: Record<string, CronJob[]> = { [EVERY_MINUTE]: [], [DAILY]: [] };

export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const jobs = cronJobs[controller.cron] ?? [];
  const results = await Promise.allSettled(jobs.map((job) => job.run(env, controller.scheduledTime)));
  results.forEach((result, index) => {
    if (result.status === "rejected") {
      console.error(JSON.stringify({ level: "error", msg: "cron job failed", cron: controller.cron, job: jobs[index]?.name, error: String(result.reason) }));
    }
  });
  if (results.some((result) => result.status === "rejected")) throw new Error(`cron ${controller.cron}: a job failed`);
}
