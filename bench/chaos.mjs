// Runs the chaos block (test/chaos/chaos.workerd.ts) inside workerd through vitest and returns its
// totals: { checkouts, threeDSecure, manual, orders, charges, refunds, authorisations, captured, voided,
// expired, orphanCharges, doubleCharges, leakedReservations, unresolvedActions, authorisationsLeft,
// overCaptured, seed, concurrency, seconds, violations } and whether its checks passed.
import { spawnSync } from "node:child_process";
import { ROOT } from "../scripts/lib/wrangler.mjs";

export function runChaos() {
  const run = spawnSync("vitest", ["run", "--config", "bench/chaos.vitest.config.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const line = `${run.stdout}\n${run.stderr}`.split("\n").find((text) => text.includes("CHAOS_RESULT "));
  if (!line)
    throw new Error(
      `the chaos run printed no result (exit ${run.status}):\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`,
    );
  const result = JSON.parse(line.slice(line.indexOf("CHAOS_RESULT ") + "CHAOS_RESULT ".length));
  return { ...result, passed: run.status === 0 };
}
