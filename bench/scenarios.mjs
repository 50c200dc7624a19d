import { adminToken, CHECKOUT_SKUS, checkoutRequest, HOT_SKU, setOnHand, setShards, viewCarts } from "./oversell.mjs";
import { visitorsBurstScenario } from "./visitors.mjs";

// Benchmark scenarios. Each names the worker it targets and how to build its requests; modules
// add theirs here. `prepare(url, pools)` runs once before the load (e.g. to log in or create carts);
// `pools` are the ready carts written into Motor's state before it started (bench/carts.mjs).

// A scenario that autocannon cannot express (several requests at once per client) brings its own
// driver instead of `requests`: `measure(url, seconds, connections)` and `measureHello(…)`, the
// same driver against hello, each answering the summary run.mjs reports (bench/visitors.mjs).

/**
 * @typedef {{ rps: number, p50: number, p95: number, p99: number, errors: number, requests: number,
 *   statuses?: Record<string, number>, samples?: Record<string, string[]> }} LoadSummary
 */
/** @typedef {(url: string, seconds: number, connections: number) => Promise<LoadSummary>} Measure */
/**
 * @typedef {{ name: string, target: "hello" | "motor", prepare?: (url: string, pools: object) => Promise<object>,
 *   requests?: (ctx: object) => object, measure?: Measure, measureHello?: Measure }} Scenario
 */

/**
 * Catalog traffic from many shoppers at once: SHOPPERS client IPs in turn, each browsing (a few
 * requests a second, under the per-IP catalog limit of 1,200/min even at 4,000 rps). Each
 * shopper's rate-limiter object is created by its first request (in the warm-up) and used after,
 * as a shopper's is while it browses. With 4,096 IPs, nearly every request was a new visitor
 * whose first request creates that object — on wrangler dev, in the Worker's own thread.
 */
const SHOPPERS = 256;

function manyShoppers(request) {
  let sent = 0;
  return {
    ...request,
    setupRequest: (each) => {
      const shopper = sent++ % SHOPPERS;
      return { ...each, headers: { ...request.headers, "cf-connecting-ip": `10.1.${shopper >> 8}.${shopper & 255}` } };
    },
  };
}

/** @type {Scenario[]} */
export const scenarios = [
  { name: "hello", target: "hello", requests: () => ({ path: "/" }) },
  { name: "health", target: "motor", requests: () => ({ path: "/health" }) },
  // catalog: cached reads (memory tier after the warm-up) and the same list with every cache
  // tier skipped by `Motor-Cache: bypass` (answered from D1; obeyed for staff only, hence the
  // admin token), so the gain is visible. Catalog reads are metered per client IP (the "catalog"
  // policy, 1200/min), so each request comes from one of many simulated shoppers.
  { name: "products.list", target: "motor", requests: () => manyShoppers({ path: "/v1/products?limit=20" }) },
  { name: "products.get", target: "motor", requests: () => manyShoppers({ path: "/v1/products/classic-tee" }) },
  {
    name: "products.list.miss",
    target: "motor",
    prepare: async (url) => ({ token: await adminToken(url) }),
    requests: ({ token }) =>
      manyShoppers({
        path: "/v1/products?limit=20",
        headers: { "motor-cache": "bypass", authorization: `Bearer ${token}` },
      }),
  },
  // cart: add one item to an existing cart and get the priced cart back. 300 carts × 4 well-stocked
  // SKUs, rotated so that no line reaches its stock or its 100-unit cap (every answer must be 2xx).
  // Each cart is one simulated buyer with its own client IP, as real add-to-cart traffic comes from
  // many buyers (the per-IP "api" rate limit still runs, one Durable Object call per request).
  {
    name: "cart.addItem",
    target: "motor",
    prepare: async (url) => {
      const carts = [];
      for (let i = 0; i < 300; i += 1) {
        const response = await fetch(`${url}/v1/carts`, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": `10.0.${i >> 8}.${i & 255}` },
          body: JSON.stringify({ country: "ES" }),
        });
        if (response.status !== 201)
          throw new Error(`cart.addItem prepare: POST /v1/carts answered ${response.status}`);
        carts.push((await response.json()).id);
      }
      return { carts };
    },
    requests: ({ carts }) => {
      const skus = ["CLASSIC-TEE-M", "CLASSIC-TEE-XL", "LINEN-SHIRT-L", "HOODIE-GREY"];
      let sent = 0;
      return {
        method: "POST",
        path: `/v1/carts/${carts[0]}/items`,
        setupRequest: (request) => {
          const buyer = sent % carts.length;
          const sku = skus[Math.floor(sent / carts.length) % skus.length];
          sent += 1;
          return {
            ...request,
            path: `/v1/carts/${carts[buyer]}/items`,
            headers: { "content-type": "application/json", "cf-connecting-ip": `10.0.${buyer >> 8}.${buyer & 255}` },
            body: JSON.stringify({ sku, quantity: 1 }),
          };
        },
      };
    },
  },
  // identity: a full sign-in (one PBKDF2-SHA256 verification at 100,000 iterations, a refresh-token
  // insert + audit row in one D1 batch, an ES256 signature) — CPU-bound by design. 64 registered
  // users, each signing in from its own client IP as real sign-ins come from many buyers, so the
  // per-IP "auth" limit (60/min per IP) is exercised but not tripped; successful logins never
  // count towards the per-account failure limit.
  {
    name: "auth.login",
    target: "motor",
    prepare: async (url) => {
      const users = [];
      for (let i = 0; i < 64; i += 1) {
        const email = `bench-${Date.now()}-${i}@example.test`;
        const ip = `10.9.${i >> 8}.${i & 255}`;
        const response = await fetch(`${url}/v1/auth/register`, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": ip },
          body: JSON.stringify({ email, password: "bench passphrase 1234", name: "Bench" }),
        });
        if (response.status !== 201) throw new Error(`auth.login prepare: register answered ${response.status}`);
        users.push({ email, ip });
      }
      return { users };
    },
    requests: ({ users }) => {
      let sent = 0;
      return {
        method: "POST",
        path: "/v1/auth/login",
        setupRequest: (request) => {
          const user = users[sent % users.length];
          sent += 1;
          return {
            ...request,
            headers: { "content-type": "application/json", "cf-connecting-ip": user.ip },
            body: JSON.stringify({ email: user.email, password: "bench passphrase 1234" }),
          };
        },
      };
    },
  },
  // checkout: one full checkout per request (claim + re-price in one batch, reserve, charge, the
  // order batch, then the commit) on a fresh ready cart with a fresh Idempotency-Key; each cart is
  // its own buyer (client IP).
  // Stock is raised far above what the run can sell, spread over 8 SKUs (8 StockLock objects).
  // orders/s = rps (every 2xx is a 201 order; anything else counts as an error).
  {
    name: "checkout",
    target: "motor",
    prepare: async (url, pools) => {
      const token = await adminToken(url);
      for (const sku of CHECKOUT_SKUS) await setOnHand(url, token, sku, 1_000_000);
      await viewCarts(url, pools.checkout.carts);
      return { carts: pools.checkout.carts };
    },
    requests: checkoutRequests,
  },
  // checkout.hotSku: the same checkout, but all 16 connections buy ONE SKU — a flash sale. The SKU is
  // split over 4 StockLock shards (PUT /v1/admin/inventory/{sku}/shards) with ample stock, so its
  // reservations spread over 4 objects instead of queueing on one.
  {
    name: "checkout.hotSku",
    target: "motor",
    prepare: async (url, pools) => {
      const token = await adminToken(url);
      await setOnHand(url, token, HOT_SKU, 1_000_000);
      await setShards(url, token, HOT_SKU, 4);
      await viewCarts(url, pools.hotSku.carts);
      return { carts: pools.hotSku.carts };
    },
    requests: checkoutRequests,
  },
  // visitors.burst: new visitors, each from a new client IP, each sending a page load's 6 requests
  // at once (catalog list, a product, categories, a new cart, another product, a short list).
  visitorsBurstScenario(),
];

/** One checkout per request on the next ready cart; past the supply the answers turn 404 (errors). */
function checkoutRequests({ carts }) {
  let sent = 0;
  return {
    method: "POST",
    path: "/v1/checkout",
    setupRequest: (request) => ({ ...request, ...checkoutRequest(carts[sent++ % carts.length]) }),
  };
}
