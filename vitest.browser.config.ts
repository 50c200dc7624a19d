// Browser tests: Debian's Chromium (headless, driven by playwright-core) against one real
// `wrangler dev` started by the e2e global setup. Screenshots go to test-results/browser/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.browser.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/global-setup.ts"],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
