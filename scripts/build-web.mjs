// Builds the browser code into dist/web, the Workers Static Assets folder (git-ignored): one
// esbuild bundle per page (Preact + the page's code, minified, content-hashed), the HTML shells
// the Worker serves with their CSP, the asset server's cache rules, and Scalar's standalone bundle
// so /docs needs no CDN. Also the OpenAPI 3.1 document the Worker serves at /openapi.json, rendered
// from the routes here so the Worker needs no generator (src/platform/openapi-document.ts).
// Run by `npm run build:web`, `npm test`, and wrangler's [build] step (dev and deploy).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { renderServedDocument } from "./lib/render-openapi.mjs";
import { ROOT } from "./lib/wrangler.mjs";

export const OUT = join(ROOT, "dist", "web");
const PAGES = {
  store: { entry: "web/storefront/main.tsx", title: "Motor shop" },
  console: { entry: "web/console/main.tsx", title: "Motor console" },
};

// Hashed names never change content, so they are cached for a year; the Scalar bundle keeps one
// name across versions, so it is revalidated after an hour.
const HEADERS = `/assets/app/*
  Cache-Control: public, max-age=31536000, immutable
/assets/vendor/*
  Cache-Control: public, max-age=3600
`;

const shell = (title, script, style) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${style}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"><p class="boot" role="status">Loading…</p></div>
<noscript><p>This page needs JavaScript.</p></noscript>
</body>
</html>
`;

export async function buildWeb({ quiet = false } = {}) {
  rmSync(OUT, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(PAGES).map(([name, page]) => [name, page.entry])),
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2022"],
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: join(OUT, "assets", "app"),
    entryNames: "[name]-[hash]",
    metafile: true,
    legalComments: "none",
    logLevel: quiet ? "error" : "warning",
  });
  const url = (file) => "/" + relative(OUT, join(ROOT, file)).split("\\").join("/");
  mkdirSync(join(OUT, "pages"), { recursive: true });
  for (const [name, page] of Object.entries(PAGES)) {
    const [js, output] = Object.entries(result.metafile.outputs).find(([, out]) => out.entryPoint === page.entry) ?? [];
    if (!js || !output?.cssBundle) throw new Error(`esbuild produced no script and stylesheet for ${page.entry}`);
    writeFileSync(join(OUT, "pages", `${name}.html`), shell(page.title, url(js), url(output.cssBundle)));
  }
  const require = createRequire(import.meta.url);
  mkdirSync(join(OUT, "assets", "vendor"), { recursive: true });
  copyFileSync(
    require.resolve("@scalar/api-reference/browser/standalone.js"),
    join(OUT, "assets", "vendor", "scalar-api-reference.js"),
  );
  writeFileSync(join(OUT, "_headers"), HEADERS);
  // SERVED_DOCUMENT_ASSET in src/platform/openapi-document.ts
  mkdirSync(join(OUT, "openapi"), { recursive: true });
  writeFileSync(join(OUT, "openapi", "v3.1.json"), renderServedDocument());
  if (!quiet) console.log(`built the storefront, the console and the OpenAPI document into ${relative(ROOT, OUT)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWeb();
