/**
 * Staff and buyers racing on the same paid orders: a recent order gets a few of these at once —
 * the owner's cancel, a staff cancel, a staff transition, a refund, a fulfillment. docs/checkout.md
 * promises one guard for all of them: one wins, the others get 409, never a 500, never money or
 * units counted twice — which the invariants then check.
 */
import { sleep, type Answer, type Client } from "../client";
import type { OrderRecord, Window } from "../journal";
import { STAFF_IP } from "../plan";
import type { Prng } from "../prng";
import type { OrderView } from "../shapes";
import type { World } from "../world";

const STATUSES = ["paid", "pending", "fulfilled", "shipped", "delivered", "cancelled", "refunded"];

export async function runRacer(world: World, name: string, prng: Prng): Promise<void> {
  const staff = world.client(`${name}:staff`, STAFF_IP);
  let round = 0;
  while (Date.now() < world.deadline) {
    const recent = world.journal.board.slice(-25);
    if (recent.length === 0) {
      await sleep(250);
      continue;
    }
    const order = prng.pick(recent);
    await race(world, staff, prng, order, `chaos-${world.seed}-${name}-${round++}`);
    // a second wave on the same order half the time: what the first left is raced again
    if (prng.chance(0.5)) await race(world, staff, prng, order, `chaos-${world.seed}-${name}-${round++}`);
    await sleep(prng.int(50, 400));
  }
}

async function race(world: World, staff: Client, prng: Prng, order: OrderRecord, key: string): Promise<void> {
  const operations: (() => Promise<void>)[] = [];
  const token = world.staffToken;
  const moved = (answer: Answer) => {
    if (answer.status === 200)
      world.journal.moves.push({
        orderId: order.id,
        to: (answer.body as OrderView).status,
        window: { start: answer.startedAt, end: answer.endedAt },
      });
  };
  const choices: (() => () => Promise<void>)[] = [
    () => async () => {
      if (!order.owner) return;
      const owner = world.client(`${staff.actor}:owner`, order.owner.ip);
      moved(await owner.send(`/v1/orders/${order.id}/cancel`, { method: "POST", json: {}, token: order.owner.token }));
    },
    () => async () =>
      moved(
        await staff.send(`/v1/orders/${order.id}/cancel`, { method: "POST", json: { reason: "staff cancel" }, token }),
      ),
    () => {
      const to = prng.pick(STATUSES);
      return async () =>
        moved(
          await staff.send(`/v1/admin/orders/${order.id}/transition`, {
            method: "POST",
            json: { to, reason: "chaos" },
            token,
          }),
        );
    },
    () => {
      const body = refundBody(prng, order);
      const refundKey = `${key}-refund`;
      const twice = prng.chance(0.2);
      return async () => {
        const sends = await Promise.all(
          Array.from({ length: twice ? 2 : 1 }, () =>
            staff.send(`/v1/admin/orders/${order.id}/refunds`, { method: "POST", json: body, token, key: refundKey }),
          ),
        );
        const window: Window = {
          start: Math.min(...sends.map((send) => send.startedAt)),
          end: Math.max(...sends.map((send) => send.endedAt)),
        };
        for (const send of sends)
          if (send.status === 201) world.journal.refunded((send.body as { id: string }).id, window);
      };
    },
    () => {
      const lines = prng.chance(0.5)
        ? []
        : prng.sample(order.lines, 1).map((line) => ({ sku: line.sku, quantity: prng.int(1, line.quantity) }));
      const body = {
        carrier: "Chaos Parcels",
        trackingNumber: `CH ${prng.int(1000, 999999)}`,
        ...(prng.chance(0.5) ? { trackingUrl: "https://parcels.example/track" } : {}),
        ...(lines.length ? { lines } : {}),
      };
      return async () => {
        await staff.send(`/v1/admin/orders/${order.id}/fulfillments`, {
          method: "POST",
          json: body,
          token,
          key: `${key}-parcel`,
        });
      };
    },
  ];
  for (const choice of prng.sample(choices, prng.int(2, 4))) operations.push(choice());
  await Promise.all(operations.map((operation) => operation()));
  if (prng.chance(0.3)) await staff.send(`/v1/admin/orders/${order.id}`, { token });
}

/** Some lines, an amount, or everything left; restocked or not (restock needs units). */
function refundBody(prng: Prng, order: OrderRecord): Record<string, unknown> {
  const shape = prng.pick(["lines", "amount", "everything"] as const);
  if (shape === "lines") {
    const lines = prng
      .sample(order.lines, prng.int(1, order.lines.length))
      .map((line) => ({ sku: line.sku, quantity: prng.int(1, line.quantity) }));
    return { lines, reason: "chaos: returned", restock: prng.chance(0.6) };
  }
  if (shape === "amount")
    return {
      amount: prng.int(50, Math.max(50, Math.floor(order.total / 2))),
      reason: "chaos: goodwill",
      restock: false,
    };
  return { reason: "chaos: everything left", restock: prng.chance(0.5) };
}
