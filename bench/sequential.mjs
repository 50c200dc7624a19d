// `checkout.sequential`: ONE buyer runs the four calls of a purchase one after another —
// POST /v1/carts → POST /v1/carts/{id}/items → PATCH /v1/carts/{id} (email + address) →
// POST /v1/checkout (pm_card_visa, fresh Idempotency-Key) — again and again, with no other load.
// Its hello is the same loop of single sequential GETs to the bare Worker. ratioToHello =
// 4 × median(one sequential hello) ÷ median(one whole flow): 1.0 would mean the flow costs what four
// bare requests cost. Run as interleaved pairs (hello loop, flow loop) like every other scenario.
import { randomUUID } from "node:crypto";
import { median, percentile, round2, summarise } from "./stats.mjs";

export const ADDRESS = { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" };

async function timed(work) {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Motor's own time for one answer: its Server-Timing `total` (from the first middleware to the last). */
function workerMs(response) {
  const total = /(?:^|,\s*)total;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")?.[1];
  if (total === undefined) throw new Error("checkout.sequential: an answer without a Server-Timing total");
  return Number(total);
}

async function expectOk(response, what, flow) {
  const text = await response.text();
  if (!response.ok) throw new Error(`checkout.sequential: ${what} answered ${response.status}: ${text.slice(0, 200)}`);
  flow.workerMs += workerMs(response);
  return text ? JSON.parse(text) : null;
}

/** One purchase; answers the sum of Motor's own times of its four answers. */
async function purchase(url, sku, ip) {
  const flow = { workerMs: 0 };
  const headers = { "content-type": "application/json", "cf-connecting-ip": ip };
  const cart = await expectOk(
    await fetch(`${url}/v1/carts`, { method: "POST", headers, body: JSON.stringify({ country: "ES" }) }),
    "POST /v1/carts",
    flow,
  );
  await expectOk(
    await fetch(`${url}/v1/carts/${cart.id}/items`, {
      method: "POST",
      headers,
      body: JSON.stringify({ sku, quantity: 1 }),
    }),
    "POST items",
    flow,
  );
  await expectOk(
    await fetch(`${url}/v1/carts/${cart.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ email: "bench@example.test", shippingAddress: ADDRESS }),
    }),
    "PATCH cart",
    flow,
  );
  await expectOk(
    await fetch(`${url}/v1/checkout`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": randomUUID() },
      body: JSON.stringify({ cartId: cart.id, paymentMethod: "pm_card_visa" }),
    }),
    "POST /v1/checkout",
    flow,
  );
  return flow.workerMs;
}

export async function runSequential({ helloUrl, motorUrl, sku, pairs, helloRequests = 40, flows = 12 }) {
  const ip = "10.77.0.1";
  for (let i = 0; i < 3; i += 1) await purchase(motorUrl, sku, ip); // warm-up
  const ratios = [];
  const helloAll = [];
  const flowAll = [];
  const workerAll = [];
  const afterD1All = [];
  for (let pair = 0; pair < pairs; pair += 1) {
    const hello = [];
    for (let i = 0; i < helloRequests; i += 1)
      hello.push(await timed(async () => void (await (await fetch(helloUrl)).text())));
    for (let i = 0; i < helloRequests; i += 1)
      afterD1All.push(await timed(async () => void (await (await fetch(`${helloUrl}/after-d1`)).text())));
    const flow = [];
    for (let i = 0; i < flows; i += 1) {
      let worker = 0;
      flow.push(await timed(async () => void (worker = await purchase(motorUrl, sku, ip))));
      workerAll.push(worker);
    }
    ratios.push((4 * median(hello)) / median(flow));
    helloAll.push(...hello);
    flowAll.push(...flow);
  }
  return {
    name: "checkout.sequential",
    ...summarise(ratios),
    helloP50: round2(median(helloAll)),
    p50: round2(median(flowAll)),
    p95: round2(percentile(flowAll, 95)),
    workerP50: round2(median(workerAll)),
    // the same bare hello, answering before a D1 write in waitUntil: what the local runtime adds to an answer for work after it
    helloAfterD1P50: round2(median(afterD1All)),
    flows: flowAll.length,
  };
}
