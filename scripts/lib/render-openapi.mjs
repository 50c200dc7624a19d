// Renders the app's OpenAPI documents in Node (scripts/contract/render.ts under tsx): the Worker
// bundle carries no document generator (src/platform/openapi-document.ts).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./wrangler.mjs";

function render(args = []) {
  const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const result = spawnSync(process.execPath, [tsx, join(ROOT, "scripts", "contract", "render.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`rendering the OpenAPI document failed:\n${result.stderr}`);
  return result.stdout;
}

/** The contract as the code renders it now, as pretty JSON text (stable key order: the routes'). */
export const renderContract = () => render();

/** The 3.1 document /openapi.json serves, as the code renders it now (compact JSON text). */
export const renderServedDocument = () => render(["--served"]);
