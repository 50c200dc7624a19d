import { readFileSync } from "node:fs";
import { storefrontMarkdown } from "./storefront.mjs";

/** Hand-written sections kept under the generated ones (a study that a bench run does not redo). */
const KEPT_SECTIONS = [new URL("./observability-cost.md", import.meta.url)];
const BENCHMARKS_MD = new URL("../BENCHMARKS.md", import.meta.url);
export const SOAK_HEADING = "## Soak";

/** BENCHMARKS.md's "Soak" section (bench/soak.mjs adds a line per run), or "": from its heading to the next `## ` heading or the end. */
export function soakSection(text) {
  const start = text.search(/^## Soak$/m);
  if (start < 0) return "";
  const next = text.slice(start + 1).search(/^## /m);
  return next < 0 ? text.slice(start) : text.slice(start, start + 1 + next);
}

/** The soak runs' section of the BENCHMARKS.md being replaced, kept (last) when a bench run rewrites the file. */
function keptSoakSection() {
  let text;
  try {
    text = readFileSync(BENCHMARKS_MD, "utf8");
  } catch {
    return ""; // no BENCHMARKS.md yet
  }
  const section = soakSection(text).trimEnd();
  return section ? `\n${section}\n` : "";
}
// BENCHMARKS.md from a bench report: the table, what each scenario exercises, the bundle breakdown
// and the oversell checks.

/** What each scenario exercises, exactly (kept beside the table so numbers are never read blind). */
export const EXERCISES = {
  hello:
    "a bare Worker answering `GET /` with a fixed string (bench/hello): the floor of `wrangler dev` + workerd on this machine.",
  health:
    "`GET /health`: the whole middleware chain (request id, Server-Timing, log line, config, D1 " +
    "session, CORS, body/JSON guards, auth) and no storage.",
  "products.list":
    "`GET /v1/products?limit=20` from 256 shoppers (client IPs, each metered by its per-IP `catalog` " +
    "limit: one RateLimiter call per block of 20 of its reads, to one of 16 shared limiter objects): " +
    "a cached catalog page (memory tier after the warm-up), full middleware chain, ETag.",
  "products.get":
    "`GET /v1/products/classic-tee` from the same 256 shoppers: one cached product with its variants and availability.",
  "products.list.miss":
    "`GET /v1/products?limit=20` with `Motor-Cache: bypass`: every cache tier skipped, answered from " +
    "D1 (products, variants, prices, availability in a fixed number of queries).",
  "cart.addItem":
    "`POST /v1/carts/{id}/items` on 300 carts (one client IP each) × 4 well-stocked SKUs: the per-IP " +
    "rate limit (one RateLimiter call per block of 20 requests of a buyer), one D1 batch of reads " +
    "(cart, lines, sellable currencies, stock) and one D1 batch with the guarded increment and the " +
    "pricing reads, then the priced cart.",
  "auth.login":
    "`POST /v1/auth/login` for 64 users: PBKDF2-SHA256 at 100,000 iterations, a refresh-token insert " +
    "+ audit row in one D1 batch, an ES256 signature. CPU-bound by design.",
  checkout:
    "`POST /v1/checkout` on a fresh ready cart (1 unit of one of 8 SKUs, 8 StockLock objects; 1,500 " +
    "carts written as SQL before Motor starts, each viewed once by its buyer's IP before the load) " +
    "with a fresh Idempotency-Key: the per-IP rate limit (a RateLimiter call unless the buyer's " +
    "block from its cart view is still live), ONE batch with the key's claim, the live-checkout " +
    "lookup and the re-priced cart, the checkout row, the reservation, the move to charging, the " +
    "test-provider charge, the order batch (with the move to charged); after the answer the stock " +
    "commit and the outbox flush, whose queue consumers (order email, webhook fan-out) run in the " +
    "same local runtime. rps = orders/s.",
  "checkout.hotSku":
    "the same checkout, every request buying the same SKU, split over 4 StockLock shards with 1,000,000 units (a flash sale).",
  "visitors.burst":
    "new visitors, each from a NEW client IP (198.18.0.0/15, one per visitor), each sending the 6 " +
    "requests of a page load AT ONCE: `GET /v1/products`, `GET /v1/products/{slug}`, `GET " +
    '/v1/categories`, `POST /v1/carts` (`{"currency":"EUR"}`, a fresh Idempotency-Key), another ' +
    "product and `GET /v1/products?limit=5`; 16 visitors at a time, the next visitor once all 6 are " +
    "answered (bench/visitors.mjs, not autocannon: up to 96 requests in flight). Its hello is the " +
    "same driver sending 6 × `GET /` at once. Every visitor's first requests meet no rate-limit " +
    "state for its address, 6 at a time: **its non-2xx count must be 0** (shown under the table).",
  "checkout.sequential":
    "one buyer, no other load: create cart → add item → set email + address → checkout, again and " +
    "again. ratio = 4 × median sequential hello ÷ median flow.",
};

const kib = (bytes) => (bytes / 1024).toFixed(1);

function scenarioRows(report) {
  return report.scenarios.map(
    (s) =>
      `| ${s.name} | ${s.rps} | ${s.helloRps} | **${s.ratioToHello.toFixed(2)}** | ` +
      `${s.ratioMin.toFixed(2)}–${s.ratioMax.toFixed(2)} | ${s.p50} | ${s.p95} | ${s.p99} | ` +
      `${s.errors} |`,
  );
}

/** Scenarios whose driver counts every answer by status (bench/visitors.mjs): their non-2xx count, flagged unless 0. */
function statusBlock(report) {
  const counted = report.scenarios.filter((s) => s.statuses);
  if (counted.length === 0) return "";
  const lines = counted.map((s) => {
    const others = Object.entries(s.statuses)
      .filter(([status]) => !/^2\d\d$/.test(status))
      .map(([status, count]) => `${count} × ${status === "0" ? "no answer" : status}`);
    const samples = Object.entries(s.samples ?? {}).flatMap(([status, texts]) =>
      texts.map((text) => `${status}: \`${text.replace(/\s+/g, " ").replace(/`/g, "'").slice(0, 120)}\``),
    );
    return s.errors === 0 && !s.warmUpErrors
      ? `- **${s.name}: 0 non-2xx** of ${s.requests} requests (and 0 in its warm-up).`
      : `- ⚠ **${s.name}: ${s.errors} NON-2XX of ${s.requests} requests — must be 0** (${s.warmUpErrors} ` +
          `more in its warm-up): ${others.join(", ")}. Their bodies (up to 3 different ones per status): ` +
          `${samples.join("; ")}.`;
  });
  return `\n${lines.join("\n")}\n`;
}

function sequentialBlock(sequential) {
  if (!sequential) return "";
  const lines = [
    `\n## checkout.sequential\n`,
    `One buyer's whole purchase (4 calls), ${sequential.flows} flows over ` +
      `${sequential.ratios.length} pairs: p50 **${Math.round(sequential.p50)} ms**, p95 ` +
      `${Math.round(sequential.p95)} ms; one sequential hello p50 ${sequential.helloP50.toFixed(1)} ` +
      `ms. ratioToHello (4 × hello ÷ flow) **${sequential.ratioToHello.toFixed(2)}** (spread ` +
      `${sequential.ratioMin.toFixed(2)}–${sequential.ratioMax.toFixed(2)}).`,
  ];
  if (sequential.workerP50 !== undefined) {
    lines.push(
      "",
      `Where the flow's time goes: Motor's own time (the sum of the four answers' Server-Timing ` +
        `\`total\`) is p50 **${Math.round(sequential.workerP50)} ms**; each request also pays the local ` +
        `proxy hop that one hello pays (${sequential.helloP50.toFixed(1)} ms). ` +
        (`The rest is the local runtime holding an answer while the work its request started after ` +
          `answering (\`waitUntil\`: the checkout's stock commit and event relay) still runs on the same ` +
          `thread: the bare hello Worker answering before a D1 write in \`waitUntil\` (\`/after-d1\`) ` +
          `takes p50 ${sequential.helloAfterD1P50.toFixed(1)} ms instead of ` +
          `${sequential.helloP50.toFixed(1)} ms. In production the answer leaves first.`),
    );
  }
  return lines.join("\n") + "\n";
}

function oversellBlock(oversell) {
  if (!oversell) return "";
  const rows = oversell.map(
    (o) =>
      `| ${o.sku} | ${o.shards} | ${o.buyers} | ${o.units} | **${o.sold}** | ${o.onHandAfter} | ${o.reservedAfter} |`,
  );
  return (
    `\n## Oversell\n\n| SKU | shards | buyers at once | units | sold | on hand after | reserved ` +
    `after |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n${rows.join("\n")}\n`
  );
}

function bundleBlock(bundle) {
  const rows = bundle.packages.map(
    (p) => `| ${p.name} | ${kib(p.rawBytes)} | ${((100 * p.rawBytes) / bundle.rawBytes).toFixed(1)} % |`,
  );
  return (
    `\n## Bundle\n\n\`wrangler deploy --dry-run\`: **${kib(bundle.gzipBytes)} KiB gzipped** ` +
    `(${kib(bundle.rawBytes)} KiB raw, minified). What weighs, from esbuild's metafile (bytes each ` +
    `package contributes to the minified output, before gzip):\n\n| package | KiB (minified) | share ` +
    `|\n| --- | ---: | ---: |\n${rows.join("\n")}\n\nAliased in wrangler.toml (\`[alias]\`, the same ` +
    `table in the workerd tests): zod's \`z\` namespace object (Motor writes \`import * as z\`), its ` +
    `message translations and its JSON-Schema converters, and zod-to-openapi's generators; ` +
    `\`/openapi.json\` is rendered at build time (src/platform/bundle/).\n`
  );
}

export function chaosBlock(chaos) {
  if (!chaos) return "";
  // older results have no capture mix and no authorisation counters: shown as they are
  const manual = chaos.manual !== undefined;
  const mix = manual
    ? `; ${chaos.threeDSecure} of them paid with 3-D Secure cards, and ${chaos.manual} manual-capture ` +
      `orders that the shop then ships (the first parcel captures), ships after releasing a unit, ` +
      `cancels (the void) or leaves to the expiry policy (cancelled and voided a day before the ` +
      `authorisation lapses); all`
    : ",";
  const authorisations = manual
    ? `, ${chaos.authorisations} authorisations (${chaos.captured} captured, ${chaos.voided} voided, ` +
      `${chaos.expired} of those by the expiry policy)`
    : "";
  const counters = [
    `${chaos.orphanCharges} orphan charges`,
    `${chaos.doubleCharges} double charges`,
    `${chaos.leakedReservations} leaked reservations`,
    ...(chaos.unresolvedActions === undefined
      ? []
      : [`${chaos.unresolvedActions} payments left waiting for the buyer`]),
    ...(chaos.authorisationsLeft === undefined
      ? []
      : [`${chaos.authorisationsLeft} authorisations left neither captured into their order nor voided`]),
    ...(chaos.overCaptured === undefined ? [] : [`${chaos.overCaptured} over-captured payments`]),
  ];
  return (
    `
## Chaos (money safety under faults)

${chaos.checkouts} checkouts with random payment tokens (the fault matrix's, with Stripe's late, duplicate and early ` +
    `webhooks, refunds that fail after \`pending\`, and 3-D Secure payments finished in every order), crash points and ` +
    `order-batch outcomes (seed ${chaos.seed}, ${chaos.concurrency} at a time, in workerd: ` +
    `test/chaos/chaos.workerd.ts)${mix} driven to quiescence: ${chaos.orders} orders, ${chaos.charges} charges, ` +
    `${chaos.refunds} refunds${authorisations}; **${counters.join(", ")}**. ${
      chaos.passed
        ? "Its checks passed."
        : `**Its checks failed** (a violation above, or too few orders, ` +
          `charges${manual ? ", captures or voids" : ""} to prove anything).`
    } Replay: \`CHAOS_SEED=${chaos.seed} npm run bench:chaos\`.
${(chaos.violations ?? [])
  .slice(0, 8)
  .map((violation) => `\n- ${violation}\n`)
  .join("")}`
  );
}

export function markdown(report) {
  const names = [
    "hello",
    ...report.scenarios.map((s) => s.name),
    ...(report.sequential ? ["checkout.sequential"] : []),
  ];
  const exercised = names.map((name) => `- **${name}**: ${EXERCISES[name] ?? "(no description)"}`).join("\n");
  return `# Benchmarks

Produced by \`npm run bench\` on ${report.date} (${report.machine}) in ${report.durationSeconds} s; ${report.settings}.
Latencies in ms. \`ratio\` = scenario rps ÷ the rps of the hello run paired with it; the table shows the
**median** of the pairs' ratios and their spread (min–max) — the number to compare across machines.
On this shared 2-core machine one pairing moves by ±15 % when anything else runs. Raw data:
\`bench/results/latest.json\`.

| scenario | rps | hello rps | ratio (median) | spread | p50 | p95 | p99 | errors |
| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |
${scenarioRows(report).join("\n")}
${statusBlock(report)}${sequentialBlock(report.sequential)}
## What each scenario exercises

${exercised}
${oversellBlock(report.oversell)}${chaosBlock(report.chaos)}${storefrontMarkdown(report.storefront)}${bundleBlock(report.bundle)}
## Capacity

What these costs mean at 10,000 orders/min and 50,000 catalog reads/s, tier by tier: docs/capacity.md,
and \`node bench/capacity.mjs\` for the arithmetic.
${KEPT_SECTIONS.map((file) => `\n${readFileSync(file, "utf8")}`).join("")}${keptSoakSection()}`;
}
