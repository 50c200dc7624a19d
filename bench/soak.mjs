// `npm run bench:soak`: Motor under a steady, open-loop load for SOAK_SECONDS (new visitors' page
// loads, every SOAK_BUY_EVERY-th then checking out), to see what a short scenario cannot: errors that
// come with time, latency that creeps, memory that grows. It serves ONE build of the working tree
// (as `npm run dast` does) from its own `wrangler dev`, with the bare hello Worker beside it as the
// memory baseline. Per minute figures go to bench/results/soak.json and one line to BENCHMARKS.md,
// whose "Soak" section (first written by `withSoakLine`) explains the load and the columns.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../scripts/dev-secrets.mjs";
import { ROOT, wranglerSync } from "../scripts/lib/wrangler.mjs";
import { startWorker } from "../scripts/lib/worker-process.mjs";
import { stateRoot, workerdRss } from "./local-runtime.mjs";
import { adminToken, CHECKOUT_SKUS, checkoutRequest, setOnHand } from "./oversell.mjs";
import { SOAK_HEADING, soakSection } from "./report.mjs";
import { ADDRESS } from "./sequential.mjs";
import { median, percentile } from "./stats.mjs";
import { helloPageLoad, isCatalog, pageLoad, send, StatusTally, visitorIp } from "./visitors.mjs";

const DEFAULTS = { seconds: 600, visitorsPerS: 5, buyEvery: 4 };
const SECONDS = Number(process.env.SOAK_SECONDS ?? DEFAULTS.seconds);
const VISITORS_PER_S = Number(process.env.SOAK_VISITORS_PER_S ?? DEFAULTS.visitorsPerS);
const BUY_EVERY = Number(process.env.SOAK_BUY_EVERY ?? DEFAULTS.buyEvery);
const MINUTES = Math.ceil(SECONDS / 60);
/** Visitors still waiting for answers beyond which an arrival is dropped (and counted) rather than piling up. */
const MAX_IN_FLIGHT = 256;
const MINUTE_MS = 60_000;
const RSS_EVERY_MS = 10_000;
/** wrangler dev reloads when a watched source file changes and answers the requests in flight with this text. */
const RESTARTED = /worker restarted mid-request/i;
const TARGET_RPS = VISITORS_PER_S * (6 + 3 / BUY_EVERY);

const command = `${Object.entries(process.env)
  .filter(([key]) => key.startsWith("SOAK_"))
  .map(([key, value]) => `${key}=${value} `)
  .join("")}npm run bench:soak`;

/** One minute's answers (by the time each request was sent), and the whole run's. */
class Window {
  tally = new StatusTally();
  latencies = { all: [], catalog: [], cart: [], checkout: [] };
  restarts = 0;
  dropped = 0;
  add(kind, answer) {
    this.tally.add(answer);
    this.latencies.all.push(answer.ms);
    this.latencies[kind].push(answer.ms);
    if (RESTARTED.test(answer.text)) this.restarts += 1;
  }
  get fiveXx() {
    return Object.entries(this.tally.statuses).reduce(
      (sum, [status, count]) => (Number(status) >= 500 ? sum + count : sum),
      0,
    );
  }
  summary() {
    const round = (ms) => (ms === undefined ? null : Math.round(ms * 10) / 10);
    const spread = (values) => ({
      requests: values.length,
      p50: round(values.length ? median(values) : undefined),
      p99: round(percentile(values, 99)),
    });
    return {
      ...spread(this.latencies.all),
      statuses: this.tally.statuses,
      fiveXx: this.fiveXx,
      non2xx: this.tally.non2xx,
      restarts: this.restarts,
      dropped: this.dropped,
      catalog: spread(this.latencies.catalog),
      cart: spread(this.latencies.cart),
      checkout: spread(this.latencies.checkout),
      samples: this.tally.samples,
    };
  }
}

/** Visitor n: its page load at once; every BUY_EVERY-th then buys with the cart it created. */
async function visit(url, n, record) {
  const page = pageLoad(n);
  const answers = await Promise.all(page.map((request) => send(url, request)));
  answers.forEach((answer) => record(isCatalog(answer.path) ? "catalog" : "cart", answer));
  const created = answers.find((answer) => answer.path === "/v1/carts");
  if (n % BUY_EVERY !== BUY_EVERY - 1 || created?.status !== 201) return 0;
  const cart = { id: JSON.parse(created.text).id, ip: visitorIp(n) };
  const headers = { "content-type": "application/json", "cf-connecting-ip": cart.ip };
  const steps = [
    [
      "cart",
      {
        path: `/v1/carts/${cart.id}/items`,
        method: "POST",
        headers,
        body: JSON.stringify({ sku: CHECKOUT_SKUS[n % CHECKOUT_SKUS.length], quantity: 1 }),
      },
    ],
    [
      "cart",
      {
        path: `/v1/carts/${cart.id}`,
        method: "PATCH",
        headers,
        body: JSON.stringify({ email: "soak@example.test", shippingAddress: ADDRESS }),
      },
    ],
    ["checkout", checkoutRequest(cart)],
  ];
  for (const [kind, request] of steps) {
    const answer = await send(url, request);
    record(kind, answer);
    if (answer.status < 200 || answer.status > 299) return 0;
  }
  return 1;
}

/** The open-loop load: arrivals on a fixed schedule for SECONDS; answers the per-minute windows and the whole run's. */
async function soak(motor, hello) {
  const url = motor.url;
  const started = performance.now();
  const minutes = [];
  const total = new Window();
  // a buyer's last requests may start after the end: they count in the last minute
  const windowAt = (at) => (minutes[Math.min(MINUTES - 1, Math.floor((at - started) / MINUTE_MS))] ??= new Window());
  const record = (kind, answer) => {
    windowAt(answer.started).add(kind, answer);
    total.add(kind, answer);
  };
  const rss = [];
  const sampleRss = () =>
    rss.push({ at: performance.now() - started, ...workerdRss(motor.pid), helloSumMib: workerdRss(hello.pid).sumMib });
  const helloTally = new StatusTally();
  sampleRss();
  const sampler = setInterval(sampleRss, RSS_EVERY_MS);
  const reporter = setInterval(() => {
    sampleRss();
    const index = Math.floor((performance.now() - started) / MINUTE_MS) - 1;
    if (minutes[index]) console.log(`${minuteLine(minuteSummary(index, minutes[index], rss))}  (so far)`);
  }, MINUTE_MS).unref();
  const interval = 1000 / VISITORS_PER_S;
  const end = started + SECONDS * 1000;
  const inFlight = new Set();
  let visitors = 0;
  let orders = 0;
  try {
    for (let n = 0; started + n * interval < end; n += 1) {
      const wait = started + n * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (inFlight.size >= MAX_IN_FLIGHT) {
        windowAt(performance.now()).dropped += 1;
        total.dropped += 1;
        continue;
      }
      visitors += 1;
      const helloLoad = Promise.all(
        helloPageLoad().map((request) => send(hello.url, request).then((answer) => helloTally.add(answer))),
      );
      const visitor = Promise.all([
        visit(url, n, record).then((bought) => {
          orders += bought;
        }),
        helloLoad,
      ]).finally(() => inFlight.delete(visitor));
      inFlight.add(visitor);
    }
    await Promise.all(inFlight);
  } finally {
    clearInterval(sampler);
    clearInterval(reporter);
  }
  sampleRss();
  return { total, minutes, rss, visitors, orders, hello: { statuses: helloTally.statuses, non2xx: helloTally.non2xx } };
}

/** A minute's figures, with workerd's memory at its end (the sample nearest to it). */
function minuteSummary(index, window, rss) {
  const seconds = Math.min(60, SECONDS - 60 * index);
  const end = Math.min((index + 1) * MINUTE_MS, SECONDS * 1000);
  const memory = rss.reduce((best, sample) => (Math.abs(sample.at - end) < Math.abs(best.at - end) ? sample : best));
  const summary = window.summary();
  return {
    minute: index + 1,
    seconds,
    rps: Math.round((10 * summary.requests) / seconds) / 10,
    ...summary,
    rss: {
      sumMib: memory.sumMib,
      maxMib: memory.maxMib,
      processes: memory.processes.length,
      helloSumMib: memory.helloSumMib,
    },
  };
}

function minuteLine(m) {
  const flag = m.fiveXx ? ` ⚠ 5XX ${m.fiveXx}` : "";
  const others = m.non2xx
    ? `  non-2xx ${JSON.stringify(Object.fromEntries(Object.entries(m.statuses).filter(([status]) => !/^2\d\d$/.test(status))))}`
    : "  non-2xx 0";
  return (
    `minute ${String(m.minute).padStart(2)} (${m.seconds} s): ${m.requests} req (${m.rps} ` +
    `rps)${flag}${others}  p50 ${m.p50} p99 ${m.p99} ms | catalog p50 ${m.catalog.p50} p99 ` +
    `${m.catalog.p99} | checkout ×${m.checkout.requests} p50 ${m.checkout.p50} p99 ${m.checkout.p99} ` +
    `| workerd RSS ${m.rss.sumMib} MiB (largest ${m.rss.maxMib}, ${m.rss.processes} proc; hello's ` +
    `${m.rss.helloSumMib})${m.dropped ? `  dropped ${m.dropped}` : ""}${m.restarts ? `  reloads ${m.restarts}` : ""}`
  );
}

/** BENCHMARKS.md with this run's line added to its "Soak" section (made, last, on the first run). */
function withSoakLine(text, line) {
  const section = soakSection(text);
  if (!section) {
    return (
      `${text.trimEnd()}

${SOAK_HEADING}

\`npm run bench:soak\` (bench/soak.mjs; \`SOAK_SECONDS=120 npm run bench:soak\` for a quick try): Motor
under a steady, open-loop load for 10 minutes — ${DEFAULTS.visitorsPerS} new visitors a second (\`SOAK_VISITORS_PER_S\`), each
from a new client address sending the 6 requests of a page load at once (the \`visitors.burst\` mix),
every ${DEFAULTS.buyEvery}th (\`SOAK_BUY_EVERY\`) then buying with the cart it created (add an item, email + address,
checkout with pm_card_visa): ~${Math.round(DEFAULTS.visitorsPerS * (6 + 3 / DEFAULTS.buyEvery))} requests/s, ` +
      `whatever the answers' pace. Against its own \`wrangler dev\`
serving one build of the working tree made at the start (an edit during the run does not reload it),
state in /dev/shm as for \`npm run bench\`. For each minute: p50/p99 of every request and of the catalog
reads on their own, 5xx and other non-2xx answers, and workerd's resident memory (VmRSS, summed over
the workerd processes of wrangler's group). wrangler dev's workerd grows under load by itself, so the
bare hello Worker gets the same page loads beside Motor (6 × \`GET /\` per visitor) and its workerd
memory is shown too: Motor's own growth is the difference. First and last minute below; every minute
of the last run in \`bench/results/soak.json\`. A \`npm run bench\` run keeps this section.

| date | command | duration | requests (rps) | 5xx | non-2xx | p50 / p99 ms, first minute | last minute | ` +
      `catalog p99, first → last | workerd RSS MiB, first / last / max | hello's workerd RSS, first / last |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${line}
`
    );
  }
  const rows = section.trimEnd(); // its table ends the section
  return text.replace(section, () => `${rows}\n${line}${section.slice(rows.length) || "\n"}`);
}

async function main() {
  const date = new Date().toISOString();
  await ensureDevVars(join(ROOT, ".dev.vars"));
  const root = stateRoot();
  const outdir = mkdtempSync(join(tmpdir(), "motor-soak-build-"));
  let motor;
  let hello;
  let run;
  let rssBefore;
  try {
    wranglerSync(["deploy", "--dry-run", "--outdir", outdir]);
    motor = await startWorker({ vars: { LOG_LEVEL: "warn" }, stateRoot: root, script: join(outdir, "index.js") });
    hello = await startWorker({ config: "bench/hello/wrangler.toml", seed: false, readyPath: "/" });
    const token = await adminToken(motor.url);
    for (const sku of CHECKOUT_SKUS) await setOnHand(motor.url, token, sku, 1_000_000); // the buyers must never run dry
    rssBefore = { ...workerdRss(motor.pid), helloSumMib: workerdRss(hello.pid).sumMib };
    console.log(
      `soak: ${SECONDS} s, ${VISITORS_PER_S} visitors/s (6 requests at once each), every ` +
        `${BUY_EVERY}th buys: ~${Math.round(TARGET_RPS)} rps against ${motor.url}; workerd RSS before ` +
        `${rssBefore.sumMib} MiB (${rssBefore.processes.length} proc; hello's ${rssBefore.helloSumMib})`,
    );
    run = await soak(motor, hello);
    if (run.total.fiveXx) console.log(`wrangler's last output:\n${motor.output().slice(-3_000)}`);
  } finally {
    await Promise.all([motor?.stop(), hello?.stop()]);
    rmSync(outdir, { recursive: true, force: true });
  }
  const minutes = Array.from({ length: MINUTES }, (_, index) =>
    minuteSummary(index, run.minutes[index] ?? new Window(), run.rss),
  );
  for (const minute of minutes) console.log(minuteLine(minute));
  const total = run.total.summary();
  const [first, last] = [minutes[0], minutes.at(-1)];
  const rssMax = Math.max(...run.rss.map((sample) => sample.sumMib));
  const result = {
    date,
    command,
    machine: `${process.platform}/${process.arch}, node ${process.version}`,
    settings: {
      seconds: SECONDS,
      visitorsPerSecond: VISITORS_PER_S,
      buyEvery: BUY_EVERY,
      targetRps: TARGET_RPS,
      maxInFlight: MAX_IN_FLIGHT,
      stateRoot: root,
    },
    visitors: run.visitors,
    orders: run.orders,
    total,
    hello: run.hello,
    rss: {
      before: rssBefore,
      maxSumMib: rssMax,
      maxProcessMib: Math.max(...run.rss.map((sample) => sample.maxMib)),
      samples: run.rss.map(({ at, sumMib, maxMib, helloSumMib }) => ({
        seconds: Math.round(at / 1000),
        sumMib,
        maxMib,
        helloSumMib,
      })),
    },
    minutes,
  };
  writeFileSync(join(ROOT, "bench", "results", "soak.json"), JSON.stringify(result, null, 2) + "\n");
  const ms = (m) => `${Math.round(m.p50)} / ${Math.round(m.p99)}`;
  const line =
    `| ${date.slice(0, 16).replace("T", " ")} | \`${command}\` | ${SECONDS} s | ${total.requests} ` +
    `(${Math.round(total.requests / SECONDS)}) | ${total.fiveXx ? `**${total.fiveXx}** ⚠` : 0} | ` +
    `${total.non2xx ? `**${total.non2xx}** ⚠` : 0} | ${ms(first)} | ${ms(last)} | ` +
    `${Math.round(first.catalog.p99)} → ${Math.round(last.catalog.p99)} | ${first.rss.sumMib} / ` +
    `${last.rss.sumMib} / ${rssMax} | ${first.rss.helloSumMib} / ${last.rss.helloSumMib} |`;
  const benchmarks = join(ROOT, "BENCHMARKS.md");
  writeFileSync(benchmarks, withSoakLine(readFileSync(benchmarks, "utf8"), line));
  console.log(
    `soak: ${total.requests} requests from ${run.visitors} visitors (${run.orders} orders), 5xx ` +
      `${total.fiveXx}, non-2xx ${total.non2xx} ` +
      `${JSON.stringify(total.statuses)}${total.dropped ? `, ${total.dropped} arrivals dropped` : ""}` +
      `${total.restarts ? `, ${total.restarts} answers from a wrangler reload` : ""}; ` +
      `workerd RSS ${first.rss.sumMib} → ${last.rss.sumMib} MiB (max ${rssMax}; hello's ` +
      `${first.rss.helloSumMib} → ${last.rss.helloSumMib}, hello non-2xx ${run.hello.non2xx}); wrote ` +
      `bench/results/soak.json and BENCHMARKS.md ("Soak")`,
  );
  if (total.non2xx)
    console.log(`bodies of the non-2xx answers (up to 3 different ones per status): ${JSON.stringify(total.samples)}`);
}

await main();
