// The deployable bundle (`wrangler deploy --dry-run`): gzipped size, and a per-package breakdown
// from esbuild's metafile (bytes each input contributes to the minified output), so the next
// person sees what weighs.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT, wranglerSync } from "../scripts/lib/wrangler.mjs";

/** `node_modules/@scope/name/...` → `@scope/name`; anything of ours → `motor (src)`. */
function packageOf(input) {
  // eslint-disable-next-line security/detect-unsafe-regex -- reviewed: one optional "@scope/" then one segment, no nested repeats
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1] : "motor (src)";
}

export function bundleReport() {
  const outdir = join(ROOT, "dist", "bench-bundle");
  rmSync(outdir, { recursive: true, force: true });
  wranglerSync(["deploy", "--dry-run", "--outdir", outdir, "--metafile"]);
  const code = readFileSync(join(outdir, "index.js"));
  const meta = JSON.parse(readFileSync(join(outdir, "bundle-meta.json"), "utf8"));
  const bytes = new Map();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs ?? {}))
      bytes.set(packageOf(input), (bytes.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  const packages = [...bytes].map(([name, rawBytes]) => ({ name, rawBytes })).sort((a, b) => b.rawBytes - a.rawBytes);
  return { gzipBytes: gzipSync(code, { level: 9 }).length, rawBytes: code.length, packages };
}
