/** Daily purge of idempotency records past their lifetime (IDEMPOTENCY_TTL_MS, idempotency.service.ts); run by src/cron. */
import type { CronJob } from "../../cron";
import { createDatabase } from "../../db/client";
import { deleteExpired } from "./idempotency.repository";

export const purgeExpiredIdempotencyKeys: CronJob = {
  name: "purge-expired-idempotency-keys",
  run: async (env, now) => {
    await deleteExpired(createDatabase(env.DB), now);
  },
};
