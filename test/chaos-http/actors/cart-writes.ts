/**
 * Every write a buyer makes to its cart goes through here, so that the Journal holds each one's
 * window, answer and — for a 2xx — the lines it left (invariants/cart-lock.ts holds every order to
 * them). `editDuringCheckout` is the second tab: one edit sent while the cart's checkout runs, or
 * after its 503 payment-outcome-unknown, which a cart with a live checkout must refuse (409).
 */
import type { Answer, Call, Client } from "../client";
import type { CartRecord } from "../journal";
import type { Prng } from "../prng";
import type { CartView } from "../shapes";
import type { World } from "../world";

const linesOf = (view: CartView) => new Map(view.lines.map((line) => [line.sku, line.quantity]));

export async function writeCart(
  world: World,
  client: Client,
  cart: CartRecord,
  what: string,
  path: string,
  call: Call,
  racing = false,
): Promise<Answer> {
  const answer = await client.send(path, call);
  const accepted = answer.status >= 200 && answer.status < 300;
  world.journal.wrote(cart, {
    what,
    window: { start: answer.startedAt, end: answer.endedAt },
    status: answer.status,
    racing,
    ...(accepted ? { lines: linesOf(answer.body as CartView) } : {}),
  });
  return answer;
}

/** One edit a buyer's other tab makes: add a SKU, change a line's quantity, or remove a line. */
export async function editDuringCheckout(
  world: World,
  client: Client,
  prng: Prng,
  cart: CartRecord,
  token?: string,
): Promise<Answer> {
  const lines = [...cart.lines.keys()];
  const items = `/v1/carts/${cart.id}/items`;
  const shape = lines.length === 0 ? "add" : prng.pick(["add", "add", "set", "remove"] as const);
  if (shape === "add") {
    const sku = prng.pick(world.skus).sku;
    return writeCart(
      world,
      client,
      cart,
      `tab: add ${sku}`,
      items,
      { method: "POST", json: { sku, quantity: 1 }, token },
      true,
    );
  }
  const sku = prng.pick(lines);
  const path = `${items}/${encodeURIComponent(sku)}`;
  if (shape === "set") {
    const quantity = (cart.lines.get(sku) ?? 1) + 1;
    return writeCart(
      world,
      client,
      cart,
      `tab: ${sku} × ${quantity}`,
      path,
      { method: "PATCH", json: { quantity }, token },
      true,
    );
  }
  return writeCart(world, client, cart, `tab: remove ${sku}`, path, { method: "DELETE", token }, true);
}
