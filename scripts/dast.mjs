// `npm run dast` (part of npm test): the hostile request set of the e2e suite against the BUILT
// Worker — the bundle `wrangler deploy` would upload (minified, dry run), served by wrangler dev
// with --no-bundle on a fresh seeded state. Any 5xx, leak or wrong status fails the build.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHostileSet, HOSTILE_REQUESTS } from "../test/e2e/hostile-requests.mjs";
import { ensureDevVars } from "./dev-secrets.mjs";
import { ROOT, wranglerSync } from "./lib/wrangler.mjs";
import { startWorker } from "./lib/worker-process.mjs";

const outdir = mkdtempSync(join(tmpdir(), "motor-build-"));
let worker;
try {
  await ensureDevVars(join(ROOT, ".dev.vars"));
  wranglerSync(["deploy", "--dry-run", "--outdir", outdir]);
  worker = await startWorker({ script: join(outdir, "index.js") });
  const problems = await runHostileSet(worker.url);
  if (problems.length > 0) {
    console.error(`dast: ${problems.length} finding(s) on the built Worker:\n  ${problems.join("\n  ")}`);
    process.exitCode = 1;
  } else {
    console.log(`dast: ${HOSTILE_REQUESTS.length} hostile requests against the built Worker, no finding`);
  }
} finally {
  await worker?.stop();
  rmSync(outdir, { recursive: true, force: true });
}
