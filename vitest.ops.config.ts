// Operations tests run in Node: the contract and migration checks against their fixtures, the
// deploy scripts in dry-run, the smoke script against a local `wrangler dev`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/ops/**/*.ops.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
