// The chaos block of `npm run bench`: the main workerd test setup (real bindings, migrations),
// running only test/chaos/, with its console output kept (bench/chaos.mjs reads the result line).
// Quiescence moves the clock hours ahead, so the payment breaker's cool-down (`breaker.openMs`) is
// compressed the same way: it still opens and lets one trial through, but the random outages no
// longer refuse every later checkout, nor hold a pending refund behind a cool-down that never passes.
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
