// Runs before each test file. Applies the D1 migrations (applyD1Migrations applies only what is missing), and
// starts every test with closed circuit breakers: test files share an isolate (vitest.config.ts), and the
// provider failures one test injects, including those its background retries meet after it ended, must not
// refuse the next test's checkouts.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach } from "vitest";
import { configOf } from "../src/env";
import { breakersOf } from "../src/platform/resilience/breakers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
beforeEach(() => breakersOf(configOf(env)).forgetAll());
