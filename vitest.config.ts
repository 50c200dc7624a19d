// Unit and integration tests run inside workerd with the real bindings of wrangler.toml
// (D1, KV, Durable Objects, Queues); migrations are applied by test/setup.ts.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { generateDevSecrets } from "./scripts/dev-secrets.mjs";

/**
 * The money-safety matrix and the failure tests drive the test provider's fault tokens hundreds of
 * times in one isolate; with the default threshold (5) the isolate's payment breaker would open and
 * turn later cases into "provider down" answers, hiding the paths they exist to test. Breaker
 * behaviour has its own tests, each with its own OBSERVABILITY settings (docs/observability.md).
 */
const TEST_OBSERVABILITY = JSON.stringify({ breaker: { failureThreshold: 1_000_000 } });

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  const secrets = await generateDevSecrets();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { ...secrets, APP_ENV: "test", OBSERVABILITY: TEST_OBSERVABILITY, TEST_MIGRATIONS: migrations },
        },
      }),
    ],
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      exclude: ["test/e2e/**", "node_modules/**"],
      setupFiles: ["./test/setup.ts"],
      testTimeout: 20_000,
      silent: "passed-only" as const,
    },
  };
});
