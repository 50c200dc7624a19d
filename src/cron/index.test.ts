import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAILY, EVERY_15_MINUTES, EVERY_MINUTE, runJobs, schedules } from ".";
import { quietly } from "../../test/helpers/queue";

describe("cron dispatch", () => {
  it("runs every job of the schedule even when one fails, then reports the failure", async () => {
    const ran: string[] = [];
    const jobs = [
      {
        name: "fails",
        run: async () => {
          ran.push("fails");
          throw new Error("boom");
        },
      },
      {
        name: "works",
        run: async () => {
          ran.push("works");
        },
      },
    ];
    await quietly(() => expect(runJobs(EVERY_MINUTE, jobs, env, 1_000)).rejects.toThrow(/a job failed/));
    expect(ran.sort()).toEqual(["fails", "works"]);
  });

  it("wires the money recovery jobs every minute, reconciliation every 15 minutes, and the report and purges daily", () => {
    expect(schedules[EVERY_MINUTE]?.map((job) => job.name)).toEqual([
      "relay-outbox",
      "inventory.release-expired-reservations",
      "sweep-stuck-checkouts",
      "retry-pending-refunds",
      "settle-order-payments",
      "apply-expired-webhook-leases",
    ]);
    expect(schedules[EVERY_15_MINUTES]?.map((job) => job.name)).toEqual(["reconcile-payments"]);
    expect(schedules[DAILY]?.map((job) => job.name)).toEqual([
      "daily-sales-report",
      "cart.expireIdleCarts",
      "purge-expired-tokens",
      "purge-expired-idempotency-keys",
      "purge-async-records",
      "purge-finished-checkouts",
    ]);
  });

  it("every schedule in the code is a cron trigger of wrangler.toml", async () => {
    const { default: toml } = await import("../../wrangler.toml?raw");
    const triggers = /crons = (\[[^\]]*\])/.exec(toml)?.[1] ?? "[]";
    expect(JSON.parse(triggers).sort()).toEqual(Object.keys(schedules).sort());
  });

  it("an unknown schedule runs nothing", async () => {
    const { handleScheduled } = await import(".");
    await expect(
      handleScheduled(createScheduledController({ cron: "5 4 * * *", scheduledTime: 1_000 }), env),
    ).resolves.toBeUndefined();
  });
});
