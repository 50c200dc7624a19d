import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { cronJobs, EVERY_MINUTE, handleScheduled } from ".";

describe("cron dispatch", () => {
  const registered = cronJobs[EVERY_MINUTE] ?? [];
  const before = [...registered];
  afterEach(() => registered.splice(0, registered.length, ...before));

  it("runs every job of the schedule even when one fails, then reports the failure", async () => {
    const ran: string[] = [];
    registered.push(
      { name: "fails", run: async () => { ran.push("fails"); throw new Error("boom"); } },
      { name: "works", run: async () => { ran.push("works"); } },
    );
    const original = console.error;
    console.error = () => {};
    try {
      await expect(handleScheduled(createScheduledController({ cron: EVERY_MINUTE, scheduledTime: 1_000 }), env)).rejects.toThrow(/a job failed/);
    } finally {
      console.error = original;
    }
    expect(ran.sort()).toEqual(["fails", "works"]);
  });
});
