// The storefront's numbers for `npm run bench`: first-load bytes (the HTML shell plus the script
// and stylesheet it names, each gzipped as a CDN would send them) and the time from navigation to
// the first product card in headless Chromium, on a cold browser cache, median of RUNS.
// `node bench/storefront.mjs` measures on its own and updates only the `storefront` block of
// bench/results/latest.json.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ensureDevVars } from "../scripts/dev-secrets.mjs";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { ROOT } from "../scripts/lib/wrangler.mjs";
import { startWorker } from "../scripts/lib/worker-process.mjs";

const RUNS = 7;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function firstLoadGzipBytes(url) {
  const html = await (await fetch(url)).text();
  const assets = [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1],
  );
  const bodies = [
    Buffer.from(html),
    ...(await Promise.all(assets.map(async (path) => Buffer.from(await (await fetch(url + path)).arrayBuffer())))),
  ];
  return bodies.reduce((sum, body) => sum + gzipSync(body).length, 0);
}

async function firstProductMs(url) {
  const browser = await launchChromium();
  try {
    const times = [];
    for (let run = 0; run <= RUNS; run++) {
      const context = await browser.newContext(); // a new context is a cold cache
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector(".product-card");
      const ms = await page.evaluate(() => performance.now()); // since navigation start
      await context.close();
      if (run > 0) times.push(ms); // the first run warms the Worker isolate, not the browser
    }
    return Math.round(median(times));
  } finally {
    await browser.close();
  }
}

/** The BENCHMARKS.md section (empty without numbers). */
export function storefrontMarkdown(storefront) {
  if (!storefront) return "";
  return (
    `\n## Storefront\n\nFirst load (HTML + JS + CSS, gzipped): ` +
    `**${(storefront.firstLoadGzipBytes / 1024).toFixed(1)} KiB**; first product card after ` +
    `**${storefront.firstProductMs} ms** in headless Chromium (cold cache, median of ${RUNS}).\n`
  );
}

/** @param {string} url a running Motor */
export async function measureStorefront(url) {
  return { firstLoadGzipBytes: await firstLoadGzipBytes(url), firstProductMs: await firstProductMs(url) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureDevVars(join(ROOT, ".dev.vars"));
  const motor = await startWorker({ vars: { LOG_LEVEL: "warn" } });
  try {
    const storefront = await measureStorefront(motor.url);
    const file = join(ROOT, "bench", "results", "latest.json");
    const report = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...report, storefront }, null, 2) + "\n");
    const markdownFile = join(ROOT, "BENCHMARKS.md");
    const markdown = readFileSync(markdownFile, "utf8").replace(/\n## Storefront\n[\s\S]*$/, "");
    writeFileSync(markdownFile, markdown + storefrontMarkdown(storefront));
    console.log(
      `storefront: ${storefront.firstLoadGzipBytes} B gzipped on first load, first product card at ${storefront.firstProductMs} ms`,
    );
  } finally {
    await motor.stop();
  }
}
