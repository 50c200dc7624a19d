// `visitors.burst`: new visitors, each from a NEW client address (`CF-Connecting-IP`), each sending
// the 6 requests of a page load AT ONCE — the catalog list, one product, the categories, a new
// cart (POST, with an Idempotency-Key), another product and a short list. CONNECTIONS visitor
// loops run side by side (a visitor's 6 requests go out together; when all 6 are answered the loop
// takes the next visitor), so up to 6 × CONNECTIONS requests are in flight. autocannon sends one
// request at a time per connection, hence this driver; its hello is the same driver sending 6 × `GET /`
// at once to the bare Worker, so the ratio compares like with like. The soak (bench/soak.mjs)
// replays the same page loads at a steady rate.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { products } from "../seed/demo-catalog.mjs";
import { median, percentile } from "./stats.mjs";

/**
 * Visitor n's client address, in 198.18.0.0/15 (RFC 2544's benchmarking block, 131,072 addresses):
 * apart from every other scenario's 10.x.x.x buyers and shoppers. Wraps only after 131,072 visitors.
 */
export function visitorIp(n) {
  const index = n % 131_072;
  return `198.${18 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`;
}

/** Which requests count as catalog reads (their p99 is followed on its own by the soak). */
export const isCatalog = (path) => path.startsWith("/v1/products") || path.startsWith("/v1/categories");

/** Visitor n's page load: 6 requests, all from its own new address. */
export function pageLoad(n) {
  const headers = { "cf-connecting-ip": visitorIp(n) };
  const product = products[n % products.length].slug;
  const other = products[(n + 7) % products.length].slug;
  return [
    { path: "/v1/products", headers },
    { path: `/v1/products/${product}`, headers },
    { path: "/v1/categories", headers },
    {
      path: "/v1/carts",
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "idempotency-key": randomUUID() },
      body: JSON.stringify({ currency: "EUR" }),
    },
    { path: `/v1/products/${other}`, headers },
    { path: "/v1/products?limit=5", headers },
  ];
}

/** The hello page load: the same 6-at-once shape against the bare Worker. */
export const helloPageLoad = () => Array.from({ length: 6 }, () => ({ path: "/" }));

/** Bodies of non-2xx answers kept as samples: up to 3 different ones per status, this long. */
const SAMPLE_CHARS = 200;
const SAMPLES_PER_STATUS = 3;

/**
 * Keep-alive connections, as many as are asked for (up to 6 per visitor in flight). node:http, not
 * fetch: on these 2 shared cores fetch cost the client ~4 times the CPU per request (1.3–2 ms
 * against 0.4–0.6 ms), CPU that the Worker under test then lacks.
 */
const agent = new http.Agent({ keepAlive: true });
const TIMEOUT_MS = 30_000;

/**
 * One request: its status (0 when the connection failed or nothing came for 30 s), latency in ms
 * and the body (read in full, as a client does). Never rejects.
 */
export function send(url, { path, method = "GET", headers = {}, body }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status, text) => resolve({ path, status, ms: performance.now() - started, started, text });
    const request = http.request(
      url + path,
      {
        method,
        agent,
        timeout: TIMEOUT_MS,
        headers: body === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => done(response.statusCode, Buffer.concat(chunks).toString("utf8")));
        response.on("error", (error) => done(0, String(error)));
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on("error", (error) => done(0, String(error)));
    request.end(body);
  });
}

/** Counts answers by status; keeps sample bodies of each non-2xx status (different ones, by their first 60 characters). */
export class StatusTally {
  statuses = {};
  samples = {};
  add({ status, text }) {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status < 200 || status > 299) this.sample(status, text.slice(0, SAMPLE_CHARS));
  }
  sample(status, text) {
    const kept = (this.samples[status] ??= []);
    if (kept.length < SAMPLES_PER_STATUS && !kept.some((other) => other.slice(0, 60) === text.slice(0, 60)))
      kept.push(text);
  }
  get non2xx() {
    return Object.entries(this.statuses).reduce(
      (sum, [status, count]) => (Number(status) >= 200 && Number(status) <= 299 ? sum : sum + count),
      0,
    );
  }
  /** Adds another tally's counts and samples (or a summary's `statuses` and `samples`). */
  merge({ statuses = {}, samples = {} }) {
    for (const [status, count] of Object.entries(statuses))
      this.statuses[status] = (this.statuses[status] ?? 0) + count;
    for (const [status, texts] of Object.entries(samples)) for (const text of texts) this.sample(status, text);
    return this;
  }
}

/**
 * `loops` visitor loops for `seconds`: each takes the next visitor, sends its page load at once
 * (Promise.all) and, once all of it is answered, takes the next. Answers the summary run.mjs
 * reports for every scenario (rps, latencies of single requests, errors) plus the statuses.
 */
export async function runBursts({ url, page, loops, seconds, first = 0 }) {
  let next = first;
  const latencies = [];
  const tally = new StatusTally();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const answers = await Promise.all(page(next++).map((request) => send(url, request)));
      for (const answer of answers) {
        latencies.push(answer.ms);
        tally.add(answer);
      }
    }
  };
  await Promise.all(Array.from({ length: loops }, loop));
  const elapsed = (performance.now() - started) / 1000;
  return {
    rps: Math.round(latencies.length / elapsed),
    // whole ms, as autocannon reports them
    p50: Math.round(median(latencies)),
    p95: Math.round(percentile(latencies, 95)),
    p99: Math.round(percentile(latencies, 99)),
    errors: tally.non2xx,
    requests: latencies.length,
    visitors: next - first,
    statuses: tally.statuses,
    samples: tally.samples,
  };
}

/**
 * The scenario for run.mjs: `measure` / `measureHello` replace its autocannon load for this scenario
 * and for the hello runs paired with it. Every run takes visitors no run has used (fresh addresses).
 */
export function visitorsBurstScenario() {
  let visitors = 0;
  const measure = async (url, seconds, loops) => {
    const result = await runBursts({ url, page: pageLoad, loops, seconds, first: visitors });
    visitors += result.visitors;
    return result;
  };
  return {
    name: "visitors.burst",
    target: "motor",
    measure,
    measureHello: (url, seconds, loops) => runBursts({ url, page: helloPageLoad, loops, seconds }),
  };
}
