// The chaos run over HTTP (test/chaos-http): one real `wrangler dev` (its own process group,
// private seeded state), started and always stopped by test/chaos-http/global-setup.ts, and one
// long test that loads it for CHAOS_HTTP_SECONDS (default 75) and then checks the invariants.
// CHAOS_SEED=<seed> replays a run's choices.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/chaos-http/**/*.chaos.ts"],
    environment: "node",
    globalSetup: ["./test/chaos-http/global-setup.ts"],
    testTimeout: 420_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
