/**
 * expireIdleCarts: deletes carts idle for longer than CART_TTL_HOURS (their lines cascade). The
 * API already answers 404 for them; the sweep only reclaims the rows. Idempotent by nature.
 * Registered in src/cron/index.ts.
 */
import type { CronJob } from "../../cron/cron-job";
import { createDatabase } from "../../db/client";
import { cartTtlMs } from "./cart.access";
import { deleteIdleCarts } from "./cart.repository";
import { log } from "../../platform/observability/log";

export const expireIdleCarts: CronJob = {
  name: "cart.expireIdleCarts",
  async run(env, now) {
    const deleted = await deleteIdleCarts(createDatabase(env.DB), now - cartTtlMs(env));
    if (deleted > 0) log.info("expired idle carts", { deleted });
  },
};
