// `node bench/capacity.mjs [ordersPerMinute] [catalogReadsPerSecond]`: the capacity model of
// docs/capacity.md as arithmetic. For each step (what is turned on), it puts the demand of the peak
// next to each tier's limit and names the tier that binds first. The per-operation costs are the
// ones MEASURED in this repository (counted calls, see docs/capacity.md); the platform limits are
// Cloudflare's documented figures; `bench/results/latest.json` adds this machine's latencies.
import { existsSync, readFileSync } from "node:fs";

const ordersPerMinute = Number(process.argv[2] ?? 10_000);
const catalogReadsPerSecond = Number(process.argv[3] ?? 50_000);

/** Counted in workerd (docs/capacity.md, "Measured"): calls per operation on today's code. */
export const MEASURED = {
  cartWrites: {
    create: { d1Calls: 1, writeTxns: 1 },
    addItem: { d1Calls: 2, writeTxns: 1 },
    address: { d1Calls: 2, writeTxns: 1 },
  },
  // POST /v1/checkout, pm_card_visa (checkout.round-trips.test.ts): 4 D1 round trips on the response
  // path, each a write transaction (the claim batch, the checkout row, the move to charging, the
  // order batch), and the stock-committed mark after the answer; per SKU 2 StockLock calls (reserve,
  // commit) and up to 2 mirror writes: the reserve's, and the end's, which waits for the lock's
  // alarm and shares one write a second per shard with every other change of that second (a hot
  // SKU's ends cost next to nothing; a SKU that sells less than once a second pays both). The test
  // provider's ledger row is the bench's stand-in for Stripe and is not counted.
  checkout: { d1Calls: 5, writeTxns: 5, doCallsPerSku: 2, mirrorWriteTxnsPerSku: 2 },
  // per order, after the answer: the relay (its read, the published mark) and the queue consumers
  // (order.created → email + webhook fan-out, order.paid → webhook fan-out). The consumers' marks
  // and the webhook endpoints cost one read or write per queue BATCH (src/queues/index.test.ts,
  // webhooks.delivery.test.ts); at the peak batches are full (10 messages = 5 orders), so per order:
  // 2 relay calls + the email row + (marks read + endpoints read + marks write) / 5
  orderAsync: { d1Calls: 3 + 3 / 5, writeTxns: 2 + 1 / 5 },
  queueMessagesPerOrder: 2, // order.created, order.paid (emails, webhooks)
  catalogHitRatio: 0.99, // memory + edge + KV tiers; a miss costs one version read + a page read on D1
  catalogMissD1Calls: 2,
};

/** Documented platform figures (links in docs/capacity.md). */
export const PLATFORM = {
  doRequestsPerSecond: 1_000, // one Durable Object, soft limit
  doHeadroom: 0.5, // plan for half of it
  d1WriteTxnsPerSecond: 1_000, // one primary, single writer: ~1 ms per small write transaction
  d1ReadsPerSecondPerInstance: 2_000, // per instance (primary or replica), small indexed reads
  d1ReplicaRegions: 6,
  kvWritesPerSecondPerKey: 1,
  queueMessagesPerSecond: 5_000, // per queue
  workerCpuMsPerRequest: { catalog: 1.5, cartWrite: 3, checkout: 8 },
};

function measuredHere() {
  const file = new URL("./results/latest.json", import.meta.url);
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, "utf8"));
  const byName = Object.fromEntries((report.scenarios ?? []).map((s) => [s.name, s]));
  return {
    checkoutRps: byName.checkout?.rps,
    hotSkuRps: byName["checkout.hotSku"]?.rps,
    sequentialP50: report.sequential?.p50,
  };
}

/** The steps, each turning on one more thing (docs/capacity.md explains when and why). */
const STEPS = [
  { name: "0. today: one D1, no replicas, no shards", d1Primaries: 1, replicas: false, hotSkuShards: 1 },
  { name: "1. + D1 read replicas (Sessions API)", d1Primaries: 1, replicas: true, hotSkuShards: 1 },
  { name: "2. + the hot SKU split in 4 StockLock shards", d1Primaries: 1, replicas: true, hotSkuShards: 4 },
  { name: "3. + D1 split in 2 (per region or merchant)", d1Primaries: 2, replicas: true, hotSkuShards: 4 },
  { name: "4. + D1 split in 3", d1Primaries: 3, replicas: true, hotSkuShards: 4 },
];

function demand(step, { skusPerOrder = 1.5, hotSkuShare = 1 } = {}) {
  const orders = ordersPerMinute / 60;
  const { checkout, orderAsync } = MEASURED;
  const cartWriteTxns =
    orders *
    (MEASURED.cartWrites.create.writeTxns +
      skusPerOrder * MEASURED.cartWrites.addItem.writeTxns +
      MEASURED.cartWrites.address.writeTxns);
  const checkoutWriteTxns =
    orders * (checkout.writeTxns + skusPerOrder * checkout.mirrorWriteTxnsPerSku + orderAsync.writeTxns);
  const catalogD1Reads = catalogReadsPerSecond * (1 - MEASURED.catalogHitRatio) * MEASURED.catalogMissD1Calls;
  const checkoutReads = orders * (checkout.d1Calls - checkout.writeTxns + orderAsync.d1Calls - orderAsync.writeTxns);
  return {
    orders,
    writeTxns: cartWriteTxns + checkoutWriteTxns,
    reads: catalogD1Reads + checkoutReads,
    hotSkuDoCalls: orders * hotSkuShare * checkout.doCallsPerSku,
    queueMessages: orders * MEASURED.queueMessagesPerOrder,
    cpuSeconds:
      (catalogReadsPerSecond * PLATFORM.workerCpuMsPerRequest.catalog +
        orders * (3 * PLATFORM.workerCpuMsPerRequest.cartWrite + PLATFORM.workerCpuMsPerRequest.checkout)) /
      1000,
  };
}

function tiers(step, need) {
  const readInstances = step.replicas ? step.d1Primaries * (1 + PLATFORM.d1ReplicaRegions) : step.d1Primaries;
  return [
    {
      tier: "D1 writes (single writer per database)",
      need: need.writeTxns,
      limit: step.d1Primaries * PLATFORM.d1WriteTxnsPerSecond,
      unit: "write txn/s",
    },
    {
      tier: "D1 reads",
      need: need.reads,
      limit: readInstances * PLATFORM.d1ReadsPerSecondPerInstance,
      unit: "reads/s",
    },
    {
      tier: "hot SKU's StockLock objects",
      need: need.hotSkuDoCalls,
      limit: step.hotSkuShards * PLATFORM.doRequestsPerSecond * PLATFORM.doHeadroom,
      unit: "DO calls/s",
    },
    { tier: "Queue", need: need.queueMessages, limit: PLATFORM.queueMessagesPerSecond, unit: "msg/s" },
    { tier: "Worker CPU (scales out across the edge)", need: need.cpuSeconds, limit: Infinity, unit: "CPU-s/s" },
  ].map((row) => ({ ...row, utilisation: row.limit === Infinity ? 0 : row.need / row.limit }));
}

const fmt = (value) =>
  value === Infinity ? "∞" : value >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(1);

const need = demand(STEPS[0]);
console.log(
  `Peak: ${ordersPerMinute.toLocaleString("en")} orders/min (${need.orders.toFixed(0)}/s, all on ` +
    `one hot SKU in the worst case), ${catalogReadsPerSecond.toLocaleString("en")} catalog reads/s.`,
);
const here = measuredHere();
if (here)
  console.log(
    `Measured on this machine (bench/results/latest.json): checkout ${here.checkoutRps ?? "?"} ` +
      `orders/s, hotSku ${here.hotSkuRps ?? "?"} orders/s, one sequential purchase p50 ` +
      `${here.sequentialP50 ?? "?"} ms.`,
  );
for (const step of STEPS) {
  const rows = tiers(step, demand(step));
  const binding = rows.reduce((worst, row) => (row.utilisation > worst.utilisation ? row : worst));
  console.log(
    `\n${step.name}: binds first → ${binding.tier} at ${(binding.utilisation * 100).toFixed(0)} ` +
      `%${binding.utilisation > 1 ? " (OVER the limit)" : ""}`,
  );
  for (const row of rows)
    console.log(
      `  ${row.tier.padEnd(42)} ${fmt(row.need).padStart(8)} / ${fmt(row.limit).padStart(8)} ` +
        `${row.unit.padEnd(12)} ` +
        `${row.limit === Infinity ? "" : `${(row.utilisation * 100).toFixed(0)} %`}`,
    );
}
