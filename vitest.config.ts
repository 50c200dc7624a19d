// Unit and integration tests run inside workerd with the real bindings of wrangler.toml
// (D1, KV, Durable Objects, Queues); migrations are applied by test/setup.ts.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { generateDevSecrets } from "./scripts/dev-secrets.mjs";
import { bundleAliases } from "./scripts/lib/bundle-aliases.mjs";

/** The workerd test setup; `bindings` adds or overrides vars (the chaos block's compressed clock). */
export async function workerdConfig(bindings: Record<string, string> = {}) {
  const migrations = await readD1Migrations("./migrations");
  const secrets = await generateDevSecrets();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { ...secrets, APP_ENV: "test", TEST_MIGRATIONS: migrations, ...bindings },
          // the ASSETS service binding's target (wrangler.web.toml): the same static files
          workers: [
            {
              name: "motor-web",
              compatibilityDate: "2026-10-01",
              modules: true,
              script: "export default {};",
              assets: { directory: "./dist/web" },
            },
          ],
        },
      }),
    ],
    // wrangler.toml's [alias] (the bundle's shims of zod and zod-to-openapi), so tests run what deploys
    resolve: { alias: bundleAliases() },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      exclude: ["test/e2e/**", "node_modules/**"],
      setupFiles: ["./test/setup.ts"],
      // One workerd per worker for all its files (the money-safety drivers below aside), not one per file: starting
      // workerd and transforming the app again for every file cost more than the tests. So files share D1, the
      // Durable Objects and isolate state, as the requests of one isolate do: a test never assumes an empty table
      // (test/setup.ts closes the breakers before each test; docs/CONTRIBUTING.md, "Tests share one isolate").
      isolate: false,
      // vitest's default on a 2-core machine is one worker; two keep both cores busy while tests wait on timers
      maxWorkers: 2,
      testTimeout: 20_000,
      silent: "passed-only" as const,
    },
  };
}

/**
 * The money-safety drivers move the harness clock hours ahead and sweep every due checkout of the database with it;
 * in a shared isolate they and the files around them would decide each other's rows. They run in
 * vitest.money-safety.config.ts, a workerd per file: they are long, so it costs them little.
 */
export const MONEY_SAFETY_DRIVERS = [
  "src/modules/checkout/checkout.matrix-*.test.ts",
  "src/modules/checkout/checkout.manual-capture-chaos.test.ts",
  "src/modules/checkout/checkout.resend-refused.test.ts",
];

export default defineConfig(async () => {
  const config = await workerdConfig();
  return { ...config, test: { ...config.test, exclude: [...config.test.exclude, ...MONEY_SAFETY_DRIVERS] } };
});
