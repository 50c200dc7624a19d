// `npm run bench`: boots the bare "hello" Worker and Motor under wrangler dev (own process groups,
// private seeded state), drives each scenario with autocannon (visitors.burst, several requests at
// once per client, with its own driver: bench/visitors.mjs), and writes bench/results/latest.json
// and BENCHMARKS.md. Absolute numbers depend on the machine; ratios to "hello" in one run do not.
//
// On a small shared machine one pairing of a scenario with hello moves by ±15 %, so each scenario
// runs as PAIRS interleaved pairs (hello, scenario, hello, scenario, …) and reports the median of
// the per-pair ratios with their spread (min–max). BENCH_ONLY=a,b runs only those scenarios.
import autocannon from "autocannon";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/dev-secrets.mjs";
import { ROOT } from "../scripts/lib/wrangler.mjs";
import { startWorker } from "../scripts/lib/worker-process.mjs";
import { bundleReport } from "./bundle.mjs";
import { markdown } from "./report.mjs";
import { scenarios } from "./scenarios.mjs";
import { adminToken, benchCartPools, CHECKOUT_SKUS, runOversell, setOnHand } from "./oversell.mjs";
import { runSequential } from "./sequential.mjs";
import { runChaos } from "./chaos.mjs";
import { median, summarise } from "./stats.mjs";
import { stateRoot } from "./local-runtime.mjs";
import { measureStorefront } from "./storefront.mjs";
import { StatusTally } from "./visitors.mjs";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const WARMUP_S = 1;
const only = process.env.BENCH_ONLY?.split(",");
const wanted = (name) => !only || only.includes(name);

function load(url, requests, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration, requests: [requests] }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

function summary(result) {
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p95: result.latency.p97_5 ?? result.latency.p95,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

/** autocannon's load of `requests`, as a Measure (bench/scenarios.mjs). */
const autocannonLoad = (requests) => async (url, seconds) => summary(await load(url, requests, seconds));

/** Every answer of the runs by status, with sample bodies of the non-2xx ones (drivers that count statuses: bench/visitors.mjs). */
function statusesOf(runs) {
  if (!runs.some((run) => run.statuses)) return {};
  const { statuses, samples } = runs.reduce((tally, run) => tally.merge(run), new StatusTally());
  return { statuses, samples };
}

/**
 * PAIRS interleaved (hello, scenario) runs; a short warm-up of each before the first pair. A
 * scenario with its own driver (`measure`) is measured with it, and so is its hello (`measureHello`).
 */
async function measurePairs(scenario, urls, hello, pools) {
  const context = scenario.prepare ? await scenario.prepare(urls.motor, pools) : {};
  const measure = scenario.measure ?? autocannonLoad(scenario.requests(context));
  const measureHello = scenario.measureHello ?? autocannonLoad(hello.requests({}));
  await measureHello(urls.hello, WARMUP_S, CONNECTIONS);
  const warmUp = await measure(urls[scenario.target], WARMUP_S, CONNECTIONS); // JIT, caches, Durable Object instances
  const runs = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const baseline = await measureHello(urls.hello, DURATION_S, CONNECTIONS);
    const measured = await measure(urls[scenario.target], DURATION_S, CONNECTIONS);
    runs.push({ hello: baseline, scenario: measured, ratio: measured.rps / baseline.rps });
  }
  const pick = (key) => median(runs.map((run) => run.scenario[key]));
  const { statuses, samples } = statusesOf(runs.map((run) => run.scenario));
  return {
    name: scenario.name,
    rps: Math.round(pick("rps")),
    p50: pick("p50"),
    p95: pick("p95"),
    p99: pick("p99"),
    errors: runs.reduce((sum, run) => sum + run.scenario.errors, 0),
    helloRps: Math.round(median(runs.map((run) => run.hello.rps))),
    ...summarise(runs.map((run) => run.ratio)),
    // every answer of the measured runs by status, the non-2xx ones with a sample body (and the warm-up's apart)
    ...(statuses
      ? {
          requests: runs.reduce((sum, run) => sum + run.scenario.requests, 0),
          statuses,
          samples,
          warmUpErrors: warmUp.errors,
        }
      : {}),
  };
}

async function main() {
  const started = Date.now();
  await ensureDevVars(join(ROOT, ".dev.vars"));
  // money safety under faults, in workerd, before the load runs (it needs the CPU to itself)
  const chaos = wanted("chaos") ? runChaos() : undefined;
  const bundle = bundleReport();
  const hello = await startWorker({ config: "bench/hello/wrangler.toml", seed: false, readyPath: "/" });
  // Locally, wrangler dev ships every console.log through the inspector to Node's stdout, a cost
  // Workers Logs does not have in production; the benchmark therefore logs only 4xx/5xx lines.
  const pools = benchCartPools();
  const seedStatements = Object.values(pools).flatMap((pool) => pool.statements);
  const root = stateRoot();
  const motor = await startWorker({ vars: { LOG_LEVEL: "warn" }, seedStatements, stateRoot: root });
  try {
    const urls = { hello: hello.url, motor: motor.url };
    const [helloScenario, ...rest] = scenarios;
    const results = [];
    for (const scenario of rest.filter((s) => wanted(s.name))) {
      const result = await measurePairs(scenario, urls, helloScenario, pools);
      results.push(result);
      console.log(
        `${result.name.padEnd(20)} ${String(result.rps).padStart(6)} rps (hello ${result.helloRps})  ` +
          `ratio ${result.ratioToHello} [${result.ratioMin}–${result.ratioMax}]  p50 ${result.p50} ms  p99 ` +
          `${result.p99} ms  errors ${result.errors}`,
      );
      if (result.statuses)
        console.log(
          `${"".padEnd(20)} ${result.errors ? "NON-2XX " : "non-2xx "}${result.errors} of ` +
            `${result.requests} (warm-up ${result.warmUpErrors}); answers ` +
            `${JSON.stringify(result.statuses)}${result.errors ? `; sample ${JSON.stringify(result.samples)}` : ""}`,
        );
    }
    let sequential;
    if (wanted("checkout.sequential")) {
      await setOnHand(urls.motor, await adminToken(urls.motor), CHECKOUT_SKUS[0], 1_000_000); // its flows must never run dry
      sequential = await runSequential({
        helloUrl: urls.hello,
        motorUrl: urls.motor,
        sku: CHECKOUT_SKUS[0],
        pairs: PAIRS,
      });
      console.log(
        `checkout.sequential  flow p50 ${sequential.p50} ms p95 ${sequential.p95} ms (hello p50 ` +
          `${sequential.helloP50} ms; after-d1 ${sequential.helloAfterD1P50} ms)  Motor's own ` +
          `${sequential.workerP50} ms  ratio ${sequential.ratioToHello} ` +
          `[${sequential.ratioMin}–${sequential.ratioMax}]`,
      );
    }
    const oversell = wanted("oversell") ? await runOversell(motor.url, pools) : undefined;
    const report = {
      date: new Date().toISOString(),
      machine: `${process.platform}/${process.arch}, node ${process.version}`,
      settings:
        `autocannon, ${CONNECTIONS} ` +
        `connections${
          results.some((result) => result.statuses)
            ? ` (visitors.burst: ${CONNECTIONS} visitors at a time, 6 requests at once each, bench/visitors.mjs)`
            : ""
        }, ` +
        `${PAIRS} interleaved pairs of ${DURATION_S} s (hello, then the scenario) after a ${WARMUP_S} s ` +
        `warm-up of each; Motor's local state in ${root}`,
      durationSeconds: Math.round((Date.now() - started) / 1000),
      bundle,
      scenarios: results,
      sequential,
      oversell,
      chaos,
      storefront: wanted("storefront") ? await measureStorefront(motor.url) : undefined,
    };
    writeFileSync(join(ROOT, "bench", "results", "latest.json"), JSON.stringify(report, null, 2) + "\n");
    writeFileSync(join(ROOT, "BENCHMARKS.md"), markdown(report));
    console.log(
      `bundle ${bundle.gzipBytes} B gzipped; ${report.durationSeconds} s in all; wrote bench/results/latest.json and BENCHMARKS.md`,
    );
  } finally {
    await Promise.all([hello.stop(), motor.stop()]);
  }
}

await main();
