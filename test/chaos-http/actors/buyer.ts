/**
 * A shopper, in a loop until the load phase ends: fills a cart, checks out naming the total it saw
 * (consent.ts) with a seeded test card — sometimes from several tabs, or with a second tab editing
 * the cart (cart-writes.ts) — pays again after a decline, agrees again after price-changed, and may
 * cancel its own order. docs/checkout.md, "The HTTP chaos run", the actors.
 */
import { retryAfterMs, sleep, type Answer, type Call, type Client } from "../client";
import type { CartRecord, KeyRecord, Owner } from "../journal";
import { CONSENT_MODES, DESTINATIONS, HOSTILE_STRINGS, PAYMENT_METHODS, storable } from "../plan";
import type { Prng } from "../prng";
import type { CartView, OrderView } from "../shapes";
import type { World } from "../world";
import { checkoutWithKey } from "./checkout";
import { editDuringCheckout, writeCart } from "./cart-writes";
import { lookAtTotal, type ConsentMode } from "./consent";

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
  const created = await client.send("/v1/carts", {
    method: "POST",
    json: { country: destination.country, ...(destination.currency ? { currency: destination.currency } : {}) },
    token,
  });
  if (created.status !== 201) return backOff(created);
  const cart = world.journal.cart((created.body as CartView).id, buyer.name, buyer.email, {
    start: created.startedAt,
    end: created.endedAt,
  });
  const write = (what: string, path: string, call: Call) =>
    writeCart(world, client, cart, what, path, { ...call, token });
  const base = `/v1/carts/${cart.id}`;

  for (const sku of prng.sample(world.skus, prng.int(1, 3)))
    await write(`add ${sku.sku}`, `${base}/items`, {
      method: "POST",
      json: { sku: sku.sku, quantity: sku.scarce ? 1 : prng.int(1, 3) },
    });
  const first = [...cart.lines.keys()][0];
  if (first && prng.chance(0.15)) {
    const path = `${base}/items/${encodeURIComponent(first)}`;
    await (prng.chance(0.5)
      ? write(`set ${first}`, path, { method: "PATCH", json: { quantity: prng.int(1, 2) } })
      : write(`remove ${first}`, path, { method: "DELETE" }));
  }
  const name = prng.chance(0.2) ? storable(prng.pick(HOSTILE_STRINGS)) : undefined;
  await write("address", base, {
    method: "PATCH",
    json: { email: buyer.email, shippingAddress: { ...destination.address, ...(name ? { name } : {}) } },
  });
  if (prng.chance(0.2)) {
    const options = await client.send(`${base}/shipping-options`, { token });
    const data = (options.body as { data?: { id: string }[] } | null)?.data ?? [];
    if (options.status === 200 && data.length > 0)
      await write("shipping option", base, { method: "PATCH", json: { shippingOptionId: prng.pick(data).id } });
  }
  const code =
    world.oneUseCode && prng.chance(0.3)
      ? world.oneUseCode
      : prng.chance(0.25)
        ? prng.pick(world.discountCodes)
        : undefined;
  if (code) await write(`discount ${code}`, `${base}/discount`, { method: "POST", json: { code } });
  // some carts are left behind, as real ones are
  if (cart.lines.size === 0 || prng.chance(0.05)) return;

  const orderId = await pay(world, buyer, cart, round);
  if (orderId && prng.chance(0.1)) await editDuringCheckout(world, client, prng, cart, token); // the cart is an order now: refused
  if (orderId && owner && prng.chance(0.1)) {
    await client.send(`/v1/orders/${orderId}`, { token });
    const cancel = await client.send(`/v1/orders/${orderId}/cancel`, {
      method: "POST",
      json: { reason: "changed my mind" },
      token,
      key: `chaos-${world.seed}-${buyer.name}-${round}-cancel`,
    });
    if (cancel.status === 200)
      world.journal.moves.push({
        orderId,
        to: (cancel.body as OrderView).status,
        window: { start: cancel.startedAt, end: cancel.endedAt },
      });
  }
  if (owner && prng.chance(0.1)) await client.send("/v1/orders?limit=5", { token });
}

/** Looks at the total, then checks out naming it (from one tab or several); the order's id, if one came. */
async function pay(world: World, buyer: Buyer, cart: CartRecord, round: number): Promise<string | undefined> {
  const { client, prng, owner } = buyer;
  const mode: ConsentMode = prng.weighted(CONSENT_MODES);
  const paymentMethod = prng.weighted(PAYMENT_METHODS);
  const key = (n: number) => `chaos-${world.seed}-${buyer.name}-${round}-${n}`;
  let keys: string[] = [key(0)];
  if (prng.chance(0.15))
    keys = Array.from({ length: prng.int(2, 4) }, (_, n) => key(n)); // several tabs
  else if (prng.chance(0.1)) keys = [key(0), key(0)]; // a double click: one key twice at once
  // another tab tries to edit the cart once its checkout answered "outcome unknown" (the cart is locked then)
  let editedAfterUnknown = !prng.chance(0.5);
  const onUnknown = async () => {
    if (editedAfterUnknown) return;
    editedAfterUnknown = true;
    await editDuringCheckout(world, client, prng.fork(`${key(0)}-unknown`), cart, owner?.token);
  };
  const attempt = async (method: string, each: string[]): Promise<KeyRecord[]> => {
    const consent = await lookAtTotal(client, prng, cart.id, mode, owner?.token);
    const tab = prng.chance(0.15)
      ? sleep(prng.int(0, 300)).then(() =>
          editDuringCheckout(world, client, prng.fork(`${each[0]}-tab`), cart, owner?.token),
        )
      : undefined;
    const outcomes = await Promise.all(
      each.map((one) =>
        checkoutWithKey(world, client, prng.fork(one), cart, method, one, { owner, consent, onUnknown }),
      ),
    );
    await tab;
    return outcomes;
  };

  let outcomes = await attempt(paymentMethod, keys);
  let orderId = outcomes.find((outcome) => outcome.orderId)?.orderId;
  const again = () => !orderId && prng.chance(0.6) && Date.now() < world.deadline;
  // docs/checkout.md: after a decline, another payment method under a new key; after a changed price, the buyer looks
  // again and agrees under a new key
  if (outcomes.some((outcome) => outcome.last.startsWith("402")) && again())
    outcomes = await attempt("pm_card_visa", [key(9)]);
  else if (outcomes.some((outcome) => outcome.priceChanged) && again())
    outcomes = await attempt(paymentMethod, [key(8)]);
  orderId ??= outcomes.find((outcome) => outcome.orderId)?.orderId;
  return orderId;
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
