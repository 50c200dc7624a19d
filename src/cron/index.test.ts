import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAILY, EVERY_MINUTE, runJobs, schedules } from ".";
import { quietly } from "../../test/helpers/queue";

describe("cron dispatch", () => {
  it("runs every job of the schedule even when one fails, then reports the failure", async () => {
    const ran: string[] = [];
    const jobs = [
      { name: "fails", run: async () => { ran.push("fails"); throw new Error("boom"); } },
      { name: "works", run: async () => { ran.push("works"); } },
    ];
    await quietly(() => expect(runJobs(EVERY_MINUTE, jobs, env, 1_000)).rejects.toThrow(/a job failed/));
    expect(ran.sort()).toEqual(["fails", "works"]);
  });

  it("wires the outbox relay every minute and the report and purges daily", () => {
    expect(schedules[EVERY_MINUTE]?.map((job) => job.name)).toEqual(["relay-outbox", "inventory.release-expired-reservations", "sweep-stuck-checkouts"]);
    expect(schedules[DAILY]?.map((job) => job.name)).toEqual(
      ["daily-sales-report", "cart.expireIdleCarts", "purge-expired-tokens", "purge-expired-idempotency-keys", "purge-async-records"],
    );
  });

  it("an unknown schedule runs nothing", async () => {
    const { handleScheduled } = await import(".");
    await expect(handleScheduled(createScheduledController({ cron: "5 4 * * *", scheduledTime: 1_000 }), env)).resolves.toBeUndefined();
  });
});
