// `npm run bench:profile -- <scenario> [seconds]`: where Motor's Worker spends its CPU under one
// bench scenario's load. Boots Motor as `npm run bench` does (same seeded state, LOG_LEVEL=warn),
// attaches to wrangler dev's inspector, and samples V8's CPU profiler while autocannon drives the
// scenario (bench/scenarios.mjs). Prints the functions with the most self time (the Worker's own
// isolate: Durable Objects and the local D1 run elsewhere and show only as the time their callers
// wait) and writes the whole profile to dist/profiles/<scenario>.cpuprofile (open it in Chrome
// DevTools). Self time of workerd's D1 client (`cloudflare-internal:d1-api`) is the production
// binding's own JavaScript, so it counts as work every D1 call costs.
import autocannon from "autocannon";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { ensureDevVars } from "../scripts/dev-secrets.mjs";
import { ROOT } from "../scripts/lib/wrangler.mjs";
import { startWorker } from "../scripts/lib/worker-process.mjs";
import { benchCartPools } from "./oversell.mjs";
import { scenarios } from "./scenarios.mjs";

const [name = "products.get", seconds = "5"] = process.argv.slice(2);
const scenario = scenarios.find((candidate) => candidate.name === name && candidate.target === "motor");
if (!scenario) throw new Error(`no Motor scenario "${name}"; one of: ${scenarios.filter((s) => s.target === "motor").map((s) => s.name).join(", ")}`);

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket (`ws`: wrangler's inspector proxy refuses Node's built-in client). */
async function inspector(port) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const pending = new Map();
  let lastId = 0;
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const send = (method, params = {}) => new Promise((resolve) => {
    lastId += 1;
    pending.set(lastId, resolve);
    socket.send(JSON.stringify({ id: lastId, method, params }));
  });
  return { send, close: () => socket.close() };
}

/** Self time per function, as shares of all samples. */
function selfTimes(profile) {
  const hits = new Map();
  for (const sample of profile.samples) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const where = url ? `${url}:${lineNumber + 1}:${columnNumber + 1}` : "(native)";
    const label = `${functionName || "(anonymous)"} ${where}`;
    byFunction.set(label, (byFunction.get(label) ?? 0) + (hits.get(node.id) ?? 0));
  }
  return [...byFunction].map(([label, count]) => ({ label, share: count / profile.samples.length })).sort((a, b) => b.share - a.share);
}

await ensureDevVars(join(ROOT, ".dev.vars"));
const pools = benchCartPools();
const motor = await startWorker({ vars: { LOG_LEVEL: "warn" }, seedStatements: Object.values(pools).flatMap((pool) => pool.statements) });
try {
  const requests = scenario.requests(scenario.prepare ? await scenario.prepare(motor.url, pools) : {});
  const load = (duration) => autocannon({ url: motor.url, connections: 16, duration, requests: [requests] });
  await load(1); // JIT, caches, Durable Object instances
  const cdp = await inspector(motor.inspectorPort);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const result = await load(Number(seconds));
  const { profile } = await cdp.send("Profiler.stop");
  cdp.close();
  const directory = join(ROOT, "dist", "profiles");
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${name}.cpuprofile`), JSON.stringify(profile));
  console.log(`${name}: ${Math.round(result.requests.average)} rps, ${result.non2xx + result.errors} errors; ${profile.samples.length} samples; dist/profiles/${name}.cpuprofile`);
  for (const { label, share } of selfTimes(profile).slice(0, 25)) console.log(`${(100 * share).toFixed(1).padStart(5)} %  ${label}`);
} finally {
  await motor.stop();
}
