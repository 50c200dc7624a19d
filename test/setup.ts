// Runs before each test file. Applies the D1 migrations (applyD1Migrations applies only what is missing), and
// closes every circuit breaker: test files share an isolate (vitest.config.ts), and one file's injected provider
// failures must not refuse the next file's checkouts.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { configOf } from "../src/env";
import { breakersOf } from "../src/platform/resilience/breakers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
breakersOf(configOf(env)).forgetAll();
