// Runs the project's own wrangler (on the Node 22 that the `node` devDependency installs) with
// telemetry and the Request.cf download off: there is no network here, and none is needed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The storefront's assets-only Worker, run beside Motor by every local `wrangler dev` (docs/web.md). */
export const WEB_CONFIG = "wrangler.web.toml";
const NODE22 = join(ROOT, "node_modules", "node", "bin", "node");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

export const wranglerEnv = () => ({
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: process.env.CI ?? "",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
});
const nodeBinary = () => (existsSync(NODE22) ? NODE22 : process.execPath);

/** Runs a wrangler command to completion; throws with its output when it fails. */
export function wranglerSync(args, options = {}) {
  const result = spawnSync(nodeBinary(), [WRANGLER, ...args], {
    cwd: options.cwd ?? ROOT,
    env: wranglerEnv(),
    encoding: "utf8",
    stdio: options.stdio ?? "pipe",
  });
  if (result.status !== 0)
    throw new Error(
      `wrangler ${args.join(" ")} failed (${result.status}):\n${result.stdout ?? ""}\n${result.stderr ?? ""}`,
    );
  return result.stdout ?? "";
}

/** Starts a long-running wrangler (e.g. `dev`) in its own process group so stopping it also stops workerd. */
export function wranglerSpawn(args, options = {}) {
  return spawn(nodeBinary(), [WRANGLER, ...args], {
    cwd: options.cwd ?? ROOT,
    env: wranglerEnv(),
    detached: true,
    stdio: options.stdio ?? ["ignore", "pipe", "pipe"],
  });
}
