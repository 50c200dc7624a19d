// Applies the D1 migrations before tests; applyD1Migrations only applies what is missing, so it
// is safe however often setup files run.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
