/** Daily at 03:00 UTC: the previous UTC day's sales report (recomputing it is harmless: upsert). */
import type { CronJob } from "../../cron/cron-job";
import { createDatabase } from "../../db/client";
import { previousUtcDate } from "./daily-sales";
import { computeDailyReport } from "./reports.service";

export const dailySalesReportJob: CronJob = {
  name: "daily-sales-report",
  run: async (env, now) => {
    await computeDailyReport(createDatabase(env.DB), previousUtcDate(now), now);
  },
};
