// `npm run deploy:canary | deploy:promote | deploy:rollback -- [--env production] [--percent 10]
//  [--tag <git sha>] [--url https://…] [--version <id>] [--dry-run]`
// canary: migrate → deploy the storefront's files (motor-web) → upload a version tagged with the
// commit → send --percent of traffic to it →
// smoke-test that version (pinned with Cloudflare-Workers-Version-Overrides) when --url is given.
// promote: 100% to the canary's version. rollback: `wrangler rollback`, to the previous deployment.
// --dry-run runs the offline build check (`versions upload --dry-run`) and prints every command.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { wranglerSync } from "./lib/wrangler.mjs";
import * as plan from "./deploy/plan.mjs";
import { smoke } from "./smoke.mjs";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    env: { type: "string", default: process.env.DEPLOY_ENV ?? "production" },
    percent: { type: "string", default: process.env.CANARY_PERCENT ?? "10" },
    tag: { type: "string", default: process.env.GITHUB_SHA ?? gitCommit() },
    url: { type: "string", default: process.env.DEPLOY_URL },
    version: { type: "string" },
    "dry-run": { type: "boolean", default: false },
  },
});
const [action] = positionals;
const dryRun = values["dry-run"];
const options = {
  env: values.env,
  tag: values.tag.slice(0, 40),
  version: values.version,
  message: `${action} ${values.tag.slice(0, 12)}`,
};
const show = (args) =>
  console.log(
    `${dryRun ? "[dry-run] " : "$ "}wrangler ${args.map((arg) => (/[\s%@"]/.test(arg) ? JSON.stringify(arg) : arg)).join(" ")}`,
  );
const run = (args) => {
  show(args);
  return dryRun ? "" : wranglerSync(args, { stdio: ["ignore", "pipe", "inherit"] });
};

function gitCommit() {
  return spawnSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).stdout?.trim() || "unknown";
}

async function canary() {
  const percent = plan.parsePercent(values.percent);
  run(plan.migrate(options));
  run(plan.deployWeb(options));
  if (dryRun) {
    // the one step that can run offline: bundle and check the version exactly as it would upload
    wranglerSync([...plan.upload(options), "--dry-run", "--outdir", mkdtempSync(join(tmpdir(), "motor-upload-"))]);
  }
  const uploaded = run(plan.upload(options));
  const newVersion = dryRun ? "<new-version-id>" : plan.uploadedVersionId(uploaded);
  const current = run(plan.currentDeployment(options));
  const currentVersion = dryRun ? "<current-version-id>" : plan.servingVersionId(current);
  run(plan.split({ ...options, percent }, newVersion, currentVersion));
  console.log(
    `canary: ${percent}% of ${options.env} on version ${newVersion} (tag ${options.tag}); promote ` +
      `with npm run deploy:promote, undo with npm run deploy:rollback`,
  );
  if (values.url && !dryRun) await smoke(values.url, { version: newVersion, worker: workerName() });
  else if (values.url) console.log(`[dry-run] smoke ${values.url} pinned to ${newVersion}`);
}

function workerName() {
  return options.env === "production" ? "motor-production" : `motor-${options.env}`;
}

const actions = { canary, promote: () => run(plan.promote(options)), rollback: () => run(plan.rollback(options)) };
if (!(action in actions)) {
  console.error(
    `usage: node scripts/deploy.mjs <${Object.keys(actions).join("|")}> [--env production] [--percent 10] [--dry-run]`,
  );
  process.exit(2);
}
try {
  await actions[action]();
} catch (error) {
  console.error(`deploy ${action} failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
