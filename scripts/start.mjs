// `npm start`: local secrets → migrations → demo seed → `wrangler dev` on http://127.0.0.1:8787
// with every binding local (D1, KV, Durable Objects, Queues, Cron). No account, no network.
import { join } from "node:path";
import { ensureDevVars } from "./dev-secrets.mjs";
import { ROOT, WEB_CONFIG, wranglerSpawn } from "./lib/wrangler.mjs";
import { migrateAndSeed } from "./seed.mjs";

const port = process.env.PORT ?? "8787";
const { generated } = await ensureDevVars(join(ROOT, ".dev.vars"));
if (generated.length > 0) console.log(`generated local secrets in .dev.vars: ${generated.join(", ")}`);
migrateAndSeed();
console.log("migrations applied, demo data seeded; local admin: admin@motor.local / motor-admin-local");

// Motor first (it answers on the port), then the storefront's assets-only Worker it binds to
const dev = wranglerSpawn(
  [
    "dev",
    "--config",
    "wrangler.toml",
    "--config",
    WEB_CONFIG,
    "--ip",
    "127.0.0.1",
    "--port",
    port,
    "--test-scheduled",
    "--show-interactive-dev-session=false",
  ],
  { stdio: "inherit" },
);
// wrangler dev serves cron triggers but never fires them on its own: fire the minute schedule
// (outbox relay, expired reservations, stuck checkouts) and the 15-minute one (payment
// reconciliation) so local behaviour matches production. The daily one stays manual (README).
const fire = (cron) =>
  fetch(`http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}`).catch(() => {});
const crons = [setInterval(() => fire("* * * * *"), 60_000), setInterval(() => fire("*/15 * * * *"), 15 * 60_000)];
const stop = () => {
  crons.forEach(clearInterval);
  try {
    process.kill(-dev.pid, "SIGTERM");
  } catch {
    /* already gone */
  }
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));
