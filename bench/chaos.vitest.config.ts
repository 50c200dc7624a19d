// The chaos block of `npm run bench`: the main workerd test setup (real bindings, migrations),
// running only test/chaos/, with its console output kept (bench/chaos.mjs reads the result line).
//
// Time is compressed: quiescence moves the clock hours ahead so that sweeps, backoffs and give-up
// deadlines pass, and the payment circuit breaker's cool-down is compressed the same way (1 ms
// instead of 30 s of real time). It still opens after 5 straight provider failures and lets one
// trial through; without this, the random outages open it for the rest of the run, every later
// checkout is refused before reserving, and a pending refund waits out a cool-down the harness
// never lets pass.
import { defineConfig } from "vitest/config";
import { workerdConfig } from "../vitest.config";

export default defineConfig(async () => {
  // CHAOS_SEED=<seed> replays a run (the seed is in its result line and in BENCHMARKS.md)
  const config = await workerdConfig({
    OBSERVABILITY: JSON.stringify({ breaker: { openMs: 1 } }),
    CHAOS_SEED: process.env.CHAOS_SEED ?? "",
  });
  return {
    ...config,
    test: { ...config.test, include: ["test/chaos/**/*.workerd.ts"], exclude: [], silent: false, testTimeout: 900_000 },
  };
});
