// The oversell block of the benchmark: N concurrent buyers on M < N units must sell exactly M.
// Also the SKUs and ready carts of the checkout scenarios, and the admin calls they need.
import { randomUUID } from "node:crypto";
import { localAdmin, products } from "../seed/demo-catalog.mjs";
import { cartPool } from "./carts.mjs";

const ALL_SKUS = products.flatMap((product) => product.variants.map((variant) => variant.sku));
/** The oversell SKUs (one plain, one sharded) and the hot SKU are kept apart from the checkout SKUs. */
export const OVERSELL_SKU = ALL_SKUS.at(-1);
export const OVERSELL_SHARDED_SKU = ALL_SKUS.at(-2);
export const HOT_SKU = ALL_SKUS.at(-3);
export const CHECKOUT_SKUS = ALL_SKUS.slice(0, 8);
const OVERSELL_SHARDS = 4;
const BUYERS = 500;
const UNITS = 50;
/** Carts per checkout scenario: more than its warm-up and pairs can buy at ~110 orders/s (each cart buys once). */
const CHECKOUT_CARTS = Number(process.env.BENCH_CHECKOUT_CARTS ?? 1500);

/** The ready carts of every block (bench/carts.mjs), written into Motor's state before it starts. */
export function benchCartPools() {
  return {
    checkout: cartPool(CHECKOUT_CARTS, CHECKOUT_SKUS, 20),
    hotSku: cartPool(CHECKOUT_CARTS, [HOT_SKU], 40),
    oversell: cartPool(BUYERS, [OVERSELL_SKU], 30),
    oversellSharded: cartPool(BUYERS, [OVERSELL_SHARDED_SKU], 50),
  };
}

/** wrangler dev reloads when a source file changes and answers that request with plain text: retry it. */
const RESTARTED = /worker restarted mid-request/i;

async function send(url, path, { method = "GET", body, token, headers = {} } = {}, attempt = 1) {
  const retry = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
    return send(url, path, { method, body, token, headers }, attempt + 1);
  };
  let response;
  let text;
  try {
    response = await fetch(url + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await response.text();
  } catch (error) {
    // the connection dropped while wrangler dev reloaded
    if (attempt < 5) return retry();
    throw error;
  }
  if (RESTARTED.test(text) && attempt < 5) return retry();
  return { status: response.status, body: text && !RESTARTED.test(text) ? JSON.parse(text) : text };
}

async function expectStatus(promise, status, what) {
  const answer = await promise;
  if (answer.status !== status)
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body;
}

export async function adminToken(url) {
  const body = await expectStatus(
    send(url, "/v1/auth/login", {
      method: "POST",
      body: { email: localAdmin.email, password: localAdmin.password },
      headers: { "cf-connecting-ip": "10.99.0.1" },
    }),
    200,
    "admin login",
  );
  return body.accessToken;
}

export async function setOnHand(url, token, sku, onHand) {
  await expectStatus(
    send(url, `/v1/admin/inventory/${sku}`, { method: "PUT", body: { onHand }, token }),
    200,
    `PUT /v1/admin/inventory/${sku}`,
  );
}

export async function setShards(url, token, sku, shards) {
  await expectStatus(
    send(url, `/v1/admin/inventory/${sku}/shards`, { method: "PUT", body: { shards }, token }),
    200,
    `PUT /v1/admin/inventory/${sku}/shards`,
  );
}

/**
 * Each buyer looks at its cart once before the load (`GET /v1/carts/{id}` from its own IP), as a
 * buyer does before paying: its per-IP rate limiter object then exists, as it would after the
 * cart requests that the SQL-written carts skipped, instead of being created by the checkout.
 */
export async function viewCarts(url, carts, concurrency = 32) {
  let next = 0;
  const worker = async () => {
    while (next < carts.length) {
      const cart = carts[next++];
      await expectStatus(
        send(url, `/v1/carts/${cart.id}`, { headers: { "cf-connecting-ip": cart.ip } }),
        200,
        "GET /v1/carts/{id}",
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export function checkoutRequest(cart) {
  return {
    method: "POST",
    path: "/v1/checkout",
    headers: { "content-type": "application/json", "idempotency-key": randomUUID(), "cf-connecting-ip": cart.ip },
    body: JSON.stringify({ cartId: cart.id, paymentMethod: "pm_card_visa" }),
  };
}

/** 500 buyers at once on 50 units of one SKU (sharded into K StockLocks when `shards` > 1): exactly 50 sold, nothing left reserved. */
async function oversellOn(url, token, sku, shards, carts) {
  await setOnHand(url, token, sku, UNITS);
  if (shards > 1) await setShards(url, token, sku, shards);
  const answers = await Promise.all(
    carts.map(async (cart) => {
      const { path, ...init } = checkoutRequest(cart);
      return (await fetch(url + path, init)).status;
    }),
  );
  const statuses = {};
  for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  const sold = statuses[201] ?? 0;
  const after = await expectStatus(send(url, `/v1/admin/inventory/${sku}`, { token }), 200, "GET /v1/admin/inventory");
  const report = {
    sku,
    shards,
    buyers: BUYERS,
    units: UNITS,
    sold,
    statuses,
    onHandAfter: after.onHand,
    reservedAfter: after.reserved,
  };
  console.log(
    `oversell (${shards} shard${shards > 1 ? "s" : ""}): ${BUYERS} buyers on ${UNITS} units sold ` +
      `${sold}; answers ${JSON.stringify(statuses)}; on hand after ${after.onHand}, reserved ` +
      `${after.reserved}`,
  );
  if (sold > UNITS || after.onHand !== UNITS - sold || after.onHand < 0)
    throw new Error(`oversell check failed: ${JSON.stringify(report)}`);
  if (sold !== UNITS || after.reserved !== 0)
    console.warn(`oversell: expected exactly ${UNITS} sold and 0 reserved after: ${JSON.stringify(report)}`);
  return report;
}

export async function runOversell(url, pools) {
  const token = await adminToken(url);
  return [
    await oversellOn(url, token, OVERSELL_SKU, 1, pools.oversell.carts),
    await oversellOn(url, token, OVERSELL_SHARDED_SKU, OVERSELL_SHARDS, pools.oversellSharded.carts),
  ];
}
