/**
 * A shopper, in a loop until the load phase ends: reads the catalog now and then, fills a cart
 * with the run's SKUs, sets email and address (sometimes a shipping option or a discount code),
 * then checks out with a seeded test payment method — sometimes from several tabs at once (2–4
 * Idempotency-Keys on one cart, or one key sent twice). After a decline it may pay again with a
 * new key and a working card; with an account it may cancel its own order straight away.
 */
import { retryAfterMs, sleep, type Answer, type Client } from "../client";
import type { Owner } from "../journal";
import { DESTINATIONS, HOSTILE_STRINGS, PAYMENT_METHODS, storable } from "../plan";
import type { Prng } from "../prng";
import type { CartView, OrderView } from "../shapes";
import type { World } from "../world";
import { checkoutWithKey } from "./checkout";

export interface Buyer {
  name: string;
  client: Client;
  prng: Prng;
  owner?: Owner;
  email: string;
}

export async function runBuyer(world: World, buyer: Buyer): Promise<void> {
  let round = 0;
  while (Date.now() < world.deadline) await shop(world, buyer, round++);
}

async function shop(world: World, buyer: Buyer, round: number): Promise<void> {
  const { client, prng, owner } = buyer;
  const token = owner?.token;
  if (prng.chance(0.3)) await browse(world, buyer);

  const destination = prng.weighted(DESTINATIONS);
  const created = await client.send("/v1/carts", { method: "POST", json: { country: destination.country, ...(destination.currency ? { currency: destination.currency } : {}) }, token });
  if (created.status !== 201) return backOff(created);
  const cartId = (created.body as CartView).id;
  let cart = created.body as CartView;
  const keep = (answer: Answer) => {
    if (answer.status === 200) cart = answer.body as CartView;
  };

  for (const sku of prng.sample(world.skus, prng.int(1, 3))) {
    keep(await client.send(`/v1/carts/${cartId}/items`, { method: "POST", json: { sku: sku.sku, quantity: sku.scarce ? 1 : prng.int(1, 3) }, token }));
  }
  const first = cart.lines[0];
  if (first && prng.chance(0.15)) {
    const path = `/v1/carts/${cartId}/items/${encodeURIComponent(first.sku)}`;
    keep(prng.chance(0.5) ? await client.send(path, { method: "PATCH", json: { quantity: prng.int(1, 2) }, token }) : await client.send(path, { method: "DELETE", token }));
  }
  const name = prng.chance(0.2) ? storable(prng.pick(HOSTILE_STRINGS)) : undefined;
  keep(await client.send(`/v1/carts/${cartId}`, { method: "PATCH", json: { email: buyer.email, shippingAddress: { ...destination.address, ...(name ? { name } : {}) } }, token }));
  if (prng.chance(0.2)) {
    const options = await client.send(`/v1/carts/${cartId}/shipping-options`, { token });
    const data = (options.body as { data?: { id: string }[] } | null)?.data ?? [];
    if (options.status === 200 && data.length > 0) keep(await client.send(`/v1/carts/${cartId}`, { method: "PATCH", json: { shippingOptionId: prng.pick(data).id }, token }));
  }
  if (prng.chance(0.25)) keep(await client.send(`/v1/carts/${cartId}/discount`, { method: "POST", json: { code: prng.pick(world.discountCodes) }, token }));
  // some carts are left behind, as real ones are
  if (cart.lines.length === 0 || prng.chance(0.05)) return;

  const record = world.journal.cart(cartId, buyer.name, new Map(cart.lines.map((line) => [line.sku, line.quantity])));
  const paymentMethod = prng.weighted(PAYMENT_METHODS);
  const key = (n: number) => `chaos-${world.seed}-${buyer.name}-${round}-${n}`;
  let keys: string[] = [key(0)];
  if (prng.chance(0.15)) keys = Array.from({ length: prng.int(2, 4) }, (_, n) => key(n)); // several tabs
  else if (prng.chance(0.1)) keys = [key(0), key(0)]; // a double click: one key twice at once
  const outcomes = await Promise.all(keys.map((each) => checkoutWithKey(world, client, prng.fork(each), record, paymentMethod, each, owner)));

  let orderId = outcomes.find((outcome) => outcome.orderId)?.orderId;
  const declined = outcomes.some((outcome) => outcome.last.startsWith("402"));
  if (!orderId && declined && prng.chance(0.5) && Date.now() < world.deadline) {
    // docs/checkout.md: after a decline, another payment method under a new key
    orderId = (await checkoutWithKey(world, client, prng.fork(key(9)), record, "pm_card_visa", key(9), owner)).orderId;
  }
  if (orderId && owner && prng.chance(0.1)) {
    await client.send(`/v1/orders/${orderId}`, { token });
    const cancel = await client.send(`/v1/orders/${orderId}/cancel`, { method: "POST", json: { reason: "changed my mind" }, token, key: `${key(0)}-cancel` });
    if (cancel.status === 200) world.journal.moves.push({ orderId, to: (cancel.body as OrderView).status, window: { start: cancel.startedAt, end: cancel.endedAt } });
  }
  if (owner && prng.chance(0.1)) await client.send("/v1/orders?limit=5", { token });
}

async function browse(world: World, buyer: Buyer): Promise<void> {
  const { client, prng } = buyer;
  if (prng.chance(0.5)) {
    const listed = await client.send("/v1/products?limit=10");
    const etag = listed.headers.get("etag");
    // a revalidation: 304 when nothing changed (the merchant actor keeps changing prices)
    if (etag && prng.chance(0.3)) await client.send("/v1/products?limit=10", { headers: { "If-None-Match": etag } });
  } else {
    await client.send(`/v1/products/${prng.pick(world.skus).slug}`);
  }
}

/** A refused cart creation: wait what the server asks (429), else a moment. */
const backOff = (answer: Answer) => sleep(answer.status === 429 ? retryAfterMs(answer, 1_000, 5_000) : 200);
