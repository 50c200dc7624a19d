// `npm run smoke -- <base url> [--version <id> --worker <name>]`: the post-deploy check. /health
// and /ready answer, a catalog read answers a page, and every answer names the version that served
// it (Motor-Version). With --version, requests are pinned to that version during a split deploy
// (Cloudflare-Workers-Version-Overrides) and the header must name it.
import { parseArgs } from "node:util";

const CHECKS = [
  { path: "/health", expect: (body) => body?.status === "ok", what: '{"status":"ok"}' },
  { path: "/ready", expect: (body) => body?.status === "ready", what: '{"status":"ready"}' },
  { path: "/v1/products?limit=1", expect: (body) => Array.isArray(body?.data), what: "a page of products" },
];

/** @returns {Promise<string>} the version that answered; throws listing every failed check */
export async function smoke(baseUrl, { version, worker, timeoutMs = 10_000 } = {}) {
  const headers = version && worker ? { "Cloudflare-Workers-Version-Overrides": `${worker}="${version}"` } : {};
  const failures = [];
  const versions = new Set();
  for (const check of CHECKS) {
    try {
      const response = await fetch(baseUrl.replace(/\/+$/, "") + check.path, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.json().catch(() => null);
      const answered = response.headers.get("Motor-Version");
      if (response.status !== 200 || !check.expect(body))
        failures.push(`GET ${check.path}: ${response.status}, expected 200 with ${check.what}`);
      if (!answered || answered === "unknown") failures.push(`GET ${check.path}: no Motor-Version header`);
      else versions.add(answered);
    } catch (error) {
      failures.push(`GET ${check.path}: ${error instanceof Error ? error.message : error}`);
    }
  }
  if (version && versions.size > 0 && ![...versions].every((answered) => answered === version))
    failures.push(`answered by ${[...versions].join(", ")}, expected ${version}`);
  if (versions.size > 1) failures.push(`answers came from several versions: ${[...versions].join(", ")}`);
  if (failures.length > 0) throw new Error(`smoke test of ${baseUrl} failed:\n  ${failures.join("\n  ")}`);
  const [served] = versions;
  console.log(`smoke: ${baseUrl} healthy, ready, catalog readable; version ${served}`);
  return served;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { version: { type: "string" }, worker: { type: "string" } },
  });
  const baseUrl = positionals[0] ?? process.env.DEPLOY_URL;
  if (!baseUrl) {
    console.error("usage: npm run smoke -- <base url> [--version <id> --worker <name>]");
    process.exit(2);
  }
  try {
    await smoke(baseUrl, values);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
