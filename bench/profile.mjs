// `npm run bench:profile -- <scenario> [seconds]`: where Motor spends its CPU under one bench
// scenario's load. Samples V8's CPU profiler, through workerd's inspector, in each isolate that does
// Motor's work while autocannon drives the scenario; prints the top self time per isolate and writes
// dist/profiles/<scenario>.<isolate>.cpuprofile. How to read it: docs/capacity.md, "Where the CPU goes".
import autocannon from "autocannon";
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { ensureDevVars } from "../scripts/dev-secrets.mjs";
import { ROOT } from "../scripts/lib/wrangler.mjs";
import { startWorker } from "../scripts/lib/worker-process.mjs";
import { workerdPids } from "./local-runtime.mjs";
import { benchCartPools } from "./oversell.mjs";
import { scenarios } from "./scenarios.mjs";

const [name = "products.get", seconds = "5"] = process.argv.slice(2);
/** Motor (its Worker and Durable Objects share one isolate), the local D1, the queue broker and wrangler's entry worker. */
const ISOLATES = ["core:user:motor", "d1:db", "queues:queue", "core:entry"];
const SAMPLING_US = 200;
const WARMUP_S = 5;
const scenario = scenarios.find((candidate) => candidate.name === name && candidate.target === "motor");
if (!scenario)
  throw new Error(
    `no Motor scenario "${name}"; one of: ${scenarios
      .filter((s) => s.target === "motor")
      .map((s) => s.name)
      .join(", ")}`,
  );

/** TCP ports that a process listens on (its socket inodes matched against /proc/net/tcp and tcp6). */
function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith("socket:[")) inodes.add(link.slice(8, -1));
    } catch {
      /* closed meanwhile */
    }
  }
  return ["/proc/net/tcp", "/proc/net/tcp6"]
    .flatMap((table) => readFileSync(table, "utf8").split("\n").slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === "0A" && inodes.has(fields[9]))
    .map((fields) => parseInt(fields[1].split(":")[1], 16));
}

/**
 * workerd's own inspector lists every isolate of the process (Motor with its Durable Objects, the
 * local D1, the queue broker, …); wrangler's inspector proxy shows only one, and with two Workers
 * it is not Motor. Found among the ports that Motor's workerd (the one serving `core:user:motor`) listens on.
 */
async function workerdTargets(wranglerPid) {
  for (const pid of workerdPids(wranglerPid)) {
    for (const port of listeningPorts(pid)) {
      try {
        const targets = await (
          await fetch(`http://127.0.0.1:${port}/json`, { signal: AbortSignal.timeout(1_000) })
        ).json();
        if (Array.isArray(targets) && targets.some((target) => target.id === "core:user:motor")) return targets;
      } catch {
        /* not the inspector */
      }
    }
  }
  throw new Error("workerd's inspector was not found");
}

/** A minimal Chrome DevTools Protocol client over an inspector WebSocket. */
async function inspector(webSocketDebuggerUrl) {
  const socket = new WebSocket(webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const pending = new Map();
  let lastId = 0;
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
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
  return [...byFunction]
    .map(([label, count]) => ({ label, share: count / profile.samples.length }))
    .sort((a, b) => b.share - a.share);
}

/**
 * Busy share of a profile: the time of samples outside "(idle)" (each sample's `timeDeltas` entry),
 * as a share of the run's wall time. Rough: V8 samples an isolate only while it holds the thread.
 */
function busyShare(profile) {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === "(idle)").map((node) => node.id));
  const busyUs = profile.samples.reduce(
    (sum, sample, index) => sum + (idle.has(sample) ? 0 : (profile.timeDeltas[index] ?? 0)),
    0,
  );
  return busyUs / (profile.endTime - profile.startTime);
}

await ensureDevVars(join(ROOT, ".dev.vars"));
const pools = benchCartPools();
const motor = await startWorker({
  vars: { LOG_LEVEL: "warn" },
  seedStatements: Object.values(pools).flatMap((pool) => pool.statements),
});
try {
  const context = scenario.prepare ? await scenario.prepare(motor.url, pools) : {};
  const requests = scenario.measure ? undefined : scenario.requests(context);
  // a scenario with its own driver (bench/visitors.mjs) runs it; the others run autocannon
  const load = scenario.measure
    ? (duration) => scenario.measure(motor.url, duration, 16)
    : async (duration) => {
        const result = await autocannon({ url: motor.url, connections: 16, duration, requests: [requests] });
        return { rps: Math.round(result.requests.average), errors: result.non2xx + result.errors };
      };
  await load(WARMUP_S); // JIT, caches, Durable Object instances, rate-limit blocks grown to full size
  const targets = (await workerdTargets(motor.pid)).filter((target) => ISOLATES.includes(target.id));
  const sessions = await Promise.all(
    targets.map(async (target) => ({ id: target.id, cdp: await inspector(target.webSocketDebuggerUrl) })),
  );
  for (const { cdp } of sessions) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: SAMPLING_US });
    await cdp.send("Profiler.start");
  }
  const result = await load(Number(seconds));
  const profiles = await Promise.all(
    sessions.map(async ({ id, cdp }) => ({ id, profile: (await cdp.send("Profiler.stop")).profile })),
  );
  for (const { cdp } of sessions) cdp.close();
  const directory = join(ROOT, "dist", "profiles");
  mkdirSync(directory, { recursive: true });
  console.log(`${name}: ${result.rps} rps, ${result.errors} errors`);
  // rough (V8 samples an isolate only while it runs): for the whole thread, use `perf` or /proc/<pid>/task/*/stat
  for (const { id, profile } of profiles)
    console.log(`${(100 * busyShare(profile)).toFixed(1).padStart(5)} % of the wall time busy in ${id}`);
  for (const { id, profile } of profiles) {
    const file = `${name}.${id.replaceAll(":", "-")}.cpuprofile`;
    writeFileSync(join(directory, file), JSON.stringify(profile));
    console.log(`\n${id} (dist/profiles/${file}), self time:`);
    for (const { label, share } of selfTimes(profile).slice(0, id === "core:user:motor" ? 25 : 8))
      console.log(`${(100 * share).toFixed(1).padStart(5)} %  ${label}`);
  }
} finally {
  await motor.stop();
}
