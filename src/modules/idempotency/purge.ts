/** Daily purge of idempotency records past their 24 h lifetime (the async engineer wires it into src/cron). */
import type { CronJob } from "../../cron";
import { createDatabase } from "../../db/client";
import { deleteExpired } from "./idempotency.repository";

export const purgeExpiredIdempotencyKeys: CronJob = {
  name: "purge-expired-idempotency-keys",
  run: async (env, now) => {
    await deleteExpired(createDatabase(env.DB), now);
  },
};
