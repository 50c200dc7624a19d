// `npm run bench`: boots the bare "hello" Worker and Motor under wrangler dev (own process groups,
// private seeded state), drives each scenario with autocannon, and writes bench/results/latest.json
// and BENCHMARKS.md. Absolute numbers depend on the machine; ratios to "hello" in one run do not.
import autocannon from "autocannon";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ensureDevVars } from "../scripts/dev-secrets.mjs";
import { ROOT, wranglerSync } from "../scripts/lib/wrangler.mjs";
import { startWorker } from "../scripts/lib/worker-process.mjs";
import { scenarios } from "./scenarios.mjs";
import { runOversell } from "./oversell.mjs";
import { runChaos } from "./chaos.mjs";
import { measureStorefront, storefrontMarkdown } from "./storefront.mjs";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const only = process.env.BENCH_ONLY?.split(",");

function bundleSize() {
  const outdir = join(ROOT, "dist", "bench-bundle");
  rmSync(outdir, { recursive: true, force: true });
  wranglerSync(["deploy", "--dry-run", "--outdir", outdir]);
  const code = readFileSync(join(outdir, "index.js"));
  return { gzipBytes: gzipSync(code, { level: 9 }).length, rawBytes: code.length };
}

const WARMUP_S = 2;

function load(url, requests, duration = DURATION_S) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration, requests: [requests] }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function measure(scenario, url) {
  const context = scenario.prepare ? await scenario.prepare(url) : {};
  const requests = scenario.requests(context);
  await load(url, requests, WARMUP_S); // warm-up: JIT, caches, Durable Object instances
  const result = await load(url, requests);
  const bad = result.non2xx + result.errors + result.timeouts;
  return {
    name: scenario.name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p95: result.latency.p97_5 ?? result.latency.p95,
    p99: result.latency.p99,
    errors: bad,
    requests: result.requests.total,
  };
}

function markdown(report) {
  const rows = report.scenarios.map((s) => `| ${s.name} | ${s.rps} | ${s.ratioToHello.toFixed(2)} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.errors} |`);
  const oversell = report.oversell
    ? `\n## Oversell\n\n${report.oversell.buyers} concurrent buyers on ${report.oversell.units} units sold **${report.oversell.sold}**.\n`
    : "";
  const chaos = report.chaos
    ? `\n## Chaos (money safety under faults)\n\n${report.chaos.checkouts} checkouts with random payment tokens, crash points and order-batch outcomes (seed ${report.chaos.seed}), driven to quiescence: ${report.chaos.orders} orders, ${report.chaos.charges} charges, ${report.chaos.refunds} refunds; **${report.chaos.orphanCharges} orphan charges, ${report.chaos.doubleCharges} double charges, ${report.chaos.leakedReservations} leaked reservations** (test/chaos/chaos.workerd.ts).\n`
    : "";
  return `# Benchmarks

Produced by \`npm run bench\` on ${report.date} (${report.machine}); ${report.settings}.
Latencies in ms. \`ratio\` = scenario rps / "hello" rps measured in the same run — the number to
compare across machines. Raw data: \`bench/results/latest.json\`.

| scenario | rps | ratio to hello | p50 | p95 | p99 | errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

Bundle (\`wrangler deploy --dry-run\`): **${(report.bundle.gzipBytes / 1024).toFixed(1)} KiB gzipped** (${(report.bundle.rawBytes / 1024).toFixed(1)} KiB raw).
${oversell}${chaos}${storefrontMarkdown(report.storefront)}`;
}

async function main() {
  await ensureDevVars(join(ROOT, ".dev.vars"));
  // money safety under faults, in workerd, before the load runs (it needs the CPU to itself)
  const chaos = only && !only.includes("chaos") ? undefined : runChaos();
  const bundle = bundleSize();
  const hello = await startWorker({ config: "bench/hello/wrangler.toml", seed: false, readyPath: "/" });
  // Locally, wrangler dev ships every console.log through the inspector to Node's stdout, a cost
  // Workers Logs does not have in production; the benchmark therefore logs only 4xx/5xx lines.
  const motor = await startWorker({ vars: { LOG_LEVEL: "warn" } });
  try {
    const urls = { hello: hello.url, motor: motor.url };
    // The machine is small and shared, so each scenario is paired with a "hello" run right before
    // it and its ratio is taken against that pair; the hello row reports the mean of those runs.
    const [helloScenario, ...rest] = scenarios;
    const results = [];
    const helloRuns = [];
    for (const scenario of rest.filter((s) => !only || only.includes(s.name))) {
      const baseline = await measure(helloScenario, urls.hello);
      const result = await measure(scenario, urls[scenario.target]);
      helloRuns.push(baseline);
      results.push({ ...result, ratioToHello: Math.round((result.rps / baseline.rps) * 100) / 100 });
      console.log(`${result.name.padEnd(22)} ${String(result.rps).padStart(6)} rps (hello ${baseline.rps})  ratio ${results.at(-1).ratioToHello}  p50 ${result.p50} ms  p99 ${result.p99} ms  errors ${result.errors}`);
    }
    const mean = (key) => Math.round(helloRuns.reduce((sum, run) => sum + run[key], 0) / helloRuns.length);
    const helloRow = { name: "hello", rps: mean("rps"), p50: mean("p50"), p95: mean("p95"), p99: mean("p99"), errors: mean("errors"), requests: mean("requests"), ratioToHello: 1 };
    const report = {
      date: new Date().toISOString(),
      machine: `${process.platform}/${process.arch}, node ${process.version}`,
      settings: `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per scenario after a ${WARMUP_S} s warm-up, each paired with a hello run`,
      bundle,
      scenarios: [helloRow, ...results],
      oversell: await runOversell(motor.url),
      chaos,
      storefront: await measureStorefront(motor.url),
    };
    writeFileSync(join(ROOT, "bench", "results", "latest.json"), JSON.stringify(report, null, 2) + "\n");
    writeFileSync(join(ROOT, "BENCHMARKS.md"), markdown(report));
    console.log(`bundle ${bundle.gzipBytes} B gzipped; wrote bench/results/latest.json and BENCHMARKS.md`);
  } finally {
    await Promise.all([hello.stop(), motor.stop()]);
  }
}

await main();
