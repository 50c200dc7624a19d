/**
 * Hostile traffic mixed into the load: the e2e suite's hostile request set, plus hostile bodies aimed
 * at the carts, orders and stock the other actors use. A 2xx to a request marked `mustRefuse` is a
 * finding (they only touch a SKU outside the run's set, so the stock invariant stays exact).
 * docs/checkout.md, "The HTTP chaos run", the actors.
 */
import { HOSTILE_REQUESTS, hostileAnswerProblems } from "../../e2e/hostile-requests.mjs";
import { sleep, type Call } from "../client";
import { HOSTILE_IPS, HOSTILE_STRINGS, storable } from "../plan";
import type { Prng } from "../prng";
import type { CartView } from "../shapes";
import type { World } from "../world";

interface Hostile extends Call {
  name: string;
  path: string;
  mustRefuse?: boolean;
}

/** The 2 MiB upload is left to the e2e suite: wrangler dev's proxy may drop it (see hostile-requests.mjs). */
const SET = HOSTILE_REQUESTS.filter((hostile) => hostile.status !== 413);
const ADDRESS = { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" };

export async function runHostile(world: World, prng: Prng, strangerToken: string): Promise<void> {
  const client = (ip: string) => world.client("hostile", ip);
  const setup = client(HOSTILE_IPS[0]!);
  // a cart of its own to aim at: real, never validly checked out
  const created = await setup.send("/v1/carts", { method: "POST", json: { country: "ES" } });
  const cartId = created.status === 201 ? (created.body as CartView).id : "cart_missing";
  await setup.send(`/v1/carts/${cartId}/items`, { method: "POST", json: { sku: world.skus[0]!.sku, quantity: 1 } });
  let round = 0;
  while (Date.now() < world.deadline) {
    const ip = prng.pick(HOSTILE_IPS);
    if (prng.chance(0.35)) {
      const hostile = prng.pick(SET);
      const answer = await client(ip).send(hostile.path, {
        method: hostile.method,
        headers: hostile.headers,
        body: hostile.body,
      });
      // a 429 (or the fail-closed auth limiter's 503) answers before the request is even read
      const limited = answer.status === 429 || (answer.status === 503 && answer.headers.has("retry-after"));
      if (!limited && answer.status !== 0)
        world.journal.hostileFindings.push(
          ...hostileAnswerProblems(hostile, { status: answer.status, headers: answer.headers, text: answer.text }),
        );
    } else {
      const hostile = prng.pick(generated(world, prng, cartId, strangerToken, round++));
      const answer = await client(ip).send(hostile.path, hostile);
      if (hostile.mustRefuse && answer.status >= 200 && answer.status < 300)
        world.journal.hostileFindings.push(
          `${hostile.name}: ${hostile.method ?? "GET"} ${hostile.path} was accepted (${answer.status}): ${answer.text.slice(0, 200)}`,
        );
    }
    await sleep(prng.int(30, 200));
  }
}

/** Hostile requests built on the run's live objects; `round` keeps Idempotency-Keys unique. */
function generated(world: World, prng: Prng, cartId: string, strangerToken: string, round: number): Hostile[] {
  const staff = world.staffToken;
  const key = `chaos-${world.seed}-hostile-${round}`;
  const order = world.journal.board.length > 0 ? prng.pick(world.journal.board) : undefined;
  const orderId = order?.id ?? "ord_000000000000000000000";
  const stranger = order?.owner?.token === strangerToken ? undefined : strangerToken;
  const evil = prng.pick(HOSTILE_STRINGS);
  const stock = `/v1/admin/inventory/${encodeURIComponent(world.otherSku)}`;
  const items = `/v1/carts/${cartId}/items`;
  const sku = world.skus[0]!.sku;
  return [
    {
      name: "malformed JSON item",
      path: items,
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"sku": "${sku}", "quantity": `,
    },
    { name: "wrong types item", path: items, method: "POST", json: { sku: 123, quantity: "2" } },
    { name: "negative quantity", path: items, method: "POST", json: { sku, quantity: prng.pick([-1, 0, 1.5, 1e9]) } },
    {
      name: "client-sent price",
      path: items,
      method: "POST",
      json: { sku, quantity: 1, price: { amount: 1, currency: "EUR" } },
    },
    { name: "injection SKU", path: items, method: "POST", json: { sku: evil.slice(0, 64) || "x", quantity: 1 } },
    {
      name: "huge email",
      path: `/v1/carts/${cartId}`,
      method: "PATCH",
      json: { email: `${"x".repeat(300)}@example.test` },
    },
    {
      name: "huge address line",
      path: `/v1/carts/${cartId}`,
      method: "PATCH",
      json: { shippingAddress: { ...ADDRESS, line1: "A".repeat(300_000) } },
    },
    {
      name: "hostile strings in an address",
      path: `/v1/carts/${cartId}`,
      method: "PATCH",
      json: { shippingAddress: { ...ADDRESS, name: storable(evil), line2: storable(evil) } },
    },
    {
      name: "unknown field in a cart",
      path: `/v1/carts/${cartId}`,
      method: "PATCH",
      json: { email: "a@example.test", total: 0 },
    },
    {
      name: "injected payment method",
      path: "/v1/checkout",
      method: "POST",
      json: { cartId, paymentMethod: "pm_card_visa'; DROP TABLE test_provider_charges;--" },
      key,
      mustRefuse: true,
    },
    {
      name: "checkout wrong types",
      path: "/v1/checkout",
      method: "POST",
      json: { cartId: 42, paymentMethod: ["pm_card_visa"] },
      key,
      mustRefuse: true,
    },
    {
      name: "checkout with a client amount",
      path: "/v1/checkout",
      method: "POST",
      json: { cartId, paymentMethod: "pm_card_visa", amount: 1 },
      key,
      mustRefuse: true,
    },
    {
      name: "checkout with a malformed key",
      path: "/v1/checkout",
      method: "POST",
      json: { cartId, paymentMethod: "pm_card_visa" },
      key: "bad key!",
      mustRefuse: true,
    },
    {
      name: "checkout without a key",
      path: "/v1/checkout",
      method: "POST",
      json: { cartId, paymentMethod: "pm_card_visa" },
      mustRefuse: true,
    },
    {
      name: "checkout of a huge cart id",
      path: "/v1/checkout",
      method: "POST",
      json: { cartId: `cart_${"A".repeat(5000)}`, paymentMethod: "pm_card_visa" },
      key,
      mustRefuse: true,
    },
    {
      name: "negative stock",
      path: stock,
      method: "PUT",
      json: prng.pick([
        { onHand: -1 },
        { onHand: "5" },
        { onHand: 1.5 },
        { onHand: 1e12 },
        { onHand: 5, sku: "X" },
        {},
      ]),
      token: staff,
      mustRefuse: true,
    },
    {
      name: "stock set with a buyer's token",
      path: stock,
      method: "PUT",
      json: { onHand: 1 },
      token: strangerToken,
      mustRefuse: true,
    },
    { name: "stock set without a token", path: stock, method: "PUT", json: { onHand: 1 }, mustRefuse: true },
    {
      name: "malformed refund",
      path: `/v1/admin/orders/${orderId}/refunds`,
      method: "POST",
      token: staff,
      key,
      mustRefuse: true,
      json: prng.pick([
        { reason: "x", restock: "yes" },
        { amount: -5, reason: "x", restock: false },
        { amount: 0.5, reason: "x", restock: false },
        { lines: [], reason: "x", restock: false },
        { restock: true, amount: 100, reason: "x" },
        { lines: [{ sku: "'; DROP TABLE orders;--", quantity: 1 }], reason: "x", restock: true },
        { reason: "x".repeat(501), restock: false },
      ]),
    },
    {
      name: "javascript: tracking URL",
      path: `/v1/admin/orders/${orderId}/fulfillments`,
      method: "POST",
      token: staff,
      json: { carrier: "x", trackingNumber: "1", trackingUrl: "javascript:alert(1)" },
      mustRefuse: true,
    },
    {
      name: "transition to nowhere",
      path: `/v1/admin/orders/${orderId}/transition`,
      method: "POST",
      token: staff,
      json: prng.pick([{ to: "teleported" }, { to: "shipped", force: true }, { to: 7 }]),
      mustRefuse: true,
    },
    ...(stranger
      ? [
          {
            name: "a stranger cancels",
            path: `/v1/orders/${orderId}/cancel`,
            method: "POST",
            token: stranger,
            json: {},
            mustRefuse: true,
          },
        ]
      : []),
    { name: "an anonymous order read", path: `/v1/orders/${orderId}`, mustRefuse: true },
    { name: "a buyer on the staff list", path: "/v1/admin/orders", token: strangerToken, mustRefuse: true },
    {
      name: "client-sent product price",
      path: `/v1/admin/products/${world.skus[0]!.productId}`,
      method: "PATCH",
      token: staff,
      json: { price: 1 },
      mustRefuse: true,
    },
    {
      name: "negative discount",
      path: "/v1/admin/discounts/WELCOME10",
      method: "PATCH",
      token: staff,
      json: prng.pick([{ value: -5 }, { value: "10" }, { usageLimit: 0 }]),
      mustRefuse: true,
    },
    {
      name: "tax rate out of range",
      path: "/v1/admin/tax-rules",
      method: "POST",
      token: staff,
      json: { country: "ES", name: evil.slice(0, 100) || "x", rateBasisPoints: 99_999, inclusive: true },
      mustRefuse: true,
    },
    {
      name: "ledger page too big",
      path: `/v1/admin/payments/test-ledger?limit=${prng.pick(["1000", "-1", "abc"])}`,
      token: staff,
      mustRefuse: true,
    },
    { name: "tampered ledger cursor", path: "/v1/admin/payments/test-ledger?cursor=eyJ0IjoiLTEifQ", token: staff },
    { name: "text body", path: "/v1/carts", method: "POST", headers: { "Content-Type": "text/plain" }, body: evil },
  ];
}
