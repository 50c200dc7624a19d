// Boots a Worker under `wrangler dev` for black-box tests and the benchmark: a free port, a private
// state directory (migrated and seeded unless told otherwise), its own process group — `stop()`
// kills the whole group so no workerd child is left behind.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateAndSeed } from "../seed.mjs";
import { WEB_CONFIG, wranglerSpawn } from "./wrangler.mjs";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForReady(url, child, timeoutMs, output) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}

/**
 * `state`: serve an existing state directory (kept on stop) instead of a fresh private one;
 * `stateRoot`: where the fresh private one is made (default: the OS temp directory);
 * `seedStatements`: SQL run after the demo data;
 * `script`: serve an already built Worker (`--no-bundle`) instead of bundling `main`.
 * @param {{ config?: string, seed?: boolean, seedStatements?: string[], readyPath?: string,
 *   vars?: Record<string,string>, timeoutMs?: number, state?: string, stateRoot?: string, script?: string }} options
 * @returns {Promise<{ url: string, port: number, inspectorPort: number, pid: number, stop: () => Promise<void>, output: () => string }>}
 */
export async function startWorker({
  config = "wrangler.toml",
  seed = true,
  seedStatements = [],
  readyPath = "/health",
  vars = {},
  timeoutMs = 90_000,
  state,
  stateRoot = tmpdir(),
  script,
} = {}) {
  const persistTo = state ?? mkdtempSync(join(stateRoot, "motor-state-"));
  if (seed) migrateAndSeed({ persistTo, extraStatements: seedStatements });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  // links in emails (the password reset) point at this very server, wherever it listens
  const varArgs = Object.entries({ PUBLIC_BASE_URL: url, ...vars }).flatMap(([key, value]) => [
    "--var",
    `${key}:${value}`,
  ]);
  const child = wranglerSpawn([
    "dev",
    ...(script ? [script, "--no-bundle"] : []),
    "--config",
    config,
    ...(config === "wrangler.toml" ? ["--config", WEB_CONFIG] : []),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
    ...varArgs,
  ]);
  let log = "";
  const keep = (chunk) => {
    log = (log + chunk).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* group already gone */
      }
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {
            /* gone */
          }
          resolve();
        }, 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (!state) rmSync(persistTo, { recursive: true, force: true });
  };
  try {
    await waitForReady(url + readyPath, child, timeoutMs, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, inspectorPort, pid: child.pid, stop, output: () => log };
}
