/**
 * The payment provider at its worst: validly signed events (`Motor-Test-Signature`) that arrive
 * late, twice, or before Motor has an order for their charge, about the very orders and charges the
 * buyers are making. What each must (not) do: docs/checkout.md, "The HTTP chaos run", the actors.
 */
import { createHmac } from "node:crypto";
import { sleep, type Client } from "../client";
import type { OrderRecord } from "../journal";
import { PROVIDER_IP } from "../plan";
import type { Prng } from "../prng";
import type { LedgerEntry, Page, WebhookAck } from "../shapes";
import type { World } from "../world";

const PATH = "/v1/webhooks/payments/test";

export async function runWebhooks(world: World, prng: Prng): Promise<void> {
  const provider = world.client("provider", PROVIDER_IP);
  const staff = world.client("provider:ledger", PROVIDER_IP);
  const ledger = new LedgerTail(world);
  let events = 0;
  const send = (
    type: string,
    paymentId: string,
    amount: number,
    currency: string,
    order?: OrderRecord,
    checkoutId?: string,
  ) => {
    const body = JSON.stringify({
      id: `evt_chaos_${world.seed}_${events++}`,
      type,
      data: {
        object: {
          id: paymentId,
          object: "payment_intent",
          amount,
          currency: currency.toLowerCase(),
          status: type.endsWith("succeeded") ? "succeeded" : "requires_payment_method",
          ...(checkoutId ? { metadata: { motor_checkout_id: checkoutId } } : {}),
        },
      },
    });
    return (times: number, together: boolean) => deliver(world, provider, body, paymentId, order?.id, times, together);
  };
  while (Date.now() < world.deadline) {
    const paid = world.journal.board.filter((order) => order.paymentId).slice(-30);
    const action = prng.weighted([
      ["failed", 4],
      ["succeeded", 3],
      ["no order yet", 3],
    ] as const);
    if (action !== "no order yet" && paid.length > 0) {
      const order = prng.pick(paid);
      const event = send(
        `payment_intent.${action === "failed" ? "payment_failed" : "succeeded"}`,
        order.paymentId as string,
        order.total,
        order.currency,
        order,
      );
      await event(action === "succeeded" || prng.chance(0.3) ? 2 : 1, prng.chance(0.5));
      // another failure event about the same payment: flagged again, still no cancel
      if (action === "failed" && prng.chance(0.2))
        await send(
          "payment_intent.payment_failed",
          order.paymentId as string,
          order.total,
          order.currency,
          order,
        )(1, false);
    } else if (action === "no order yet") {
      const named = new Set([...world.journal.orders.values()].map((order) => order.paymentId));
      // a charge taken (or taken and already refunded by its compensation) that no 201 has named yet
      const waiting = (await ledger.poll(staff, world.staffToken)).filter(
        (charge) => charge.kind === "charge" && charge.status !== "declined" && !named.has(charge.paymentId),
      );
      for (const charge of prng.sample(waiting, 2)) {
        const type = prng.chance(0.6) ? "payment_intent.succeeded" : "payment_intent.payment_failed";
        await send(
          type,
          charge.paymentId,
          charge.amount,
          charge.currency,
          undefined,
          charge.idempotencyKey,
        )(prng.chance(0.3) ? 2 : 1, true);
      }
    }
    await sleep(prng.int(150, 500));
  }
}

/** One event, delivered `times` times (at once, or each after the previous answer); every answer goes to the Journal. */
async function deliver(
  world: World,
  provider: Client,
  body: string,
  paymentId: string,
  orderId: string | undefined,
  times: number,
  together: boolean,
): Promise<void> {
  const { id, type } = JSON.parse(body) as { id: string; type: string };
  const once = async () => {
    const answer = await provider.send(PATH, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "Motor-Test-Signature": sign(world.webhookSecret, body) },
    });
    const ack = answer.status === 200 ? (answer.body as WebhookAck) : undefined;
    world.journal.webhooks.push({
      eventId: id,
      type,
      paymentId,
      ...(orderId ? { orderId } : {}),
      window: { start: answer.startedAt, end: answer.endedAt },
      status: answer.status,
      ...(ack ? { duplicate: ack.duplicate } : {}),
    });
  };
  if (together) await Promise.all(Array.from({ length: times }, once));
  else for (let n = 0; n < times; n += 1) await once();
}

/** Stripe's scheme, as webhook-signature.ts verifies it: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
function sign(secret: string, body: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/**
 * The provider's ledger as it grows (oldest first, keyset pages): each poll re-reads from the
 * last page it reached, so it costs a page or two, and answers the entries it had not seen.
 */
class LedgerTail {
  private cursor: string | null = null;
  private readonly seen: Set<string>;

  constructor(world: World) {
    this.seen = new Set(world.existingLedger);
  }

  async poll(client: Client, token: string): Promise<LedgerEntry[]> {
    const fresh: LedgerEntry[] = [];
    for (;;) {
      const answer = await client.send(
        `/v1/admin/payments/test-ledger?limit=100${this.cursor ? `&cursor=${encodeURIComponent(this.cursor)}` : ""}`,
        { token },
      );
      if (answer.status !== 200) return fresh;
      const page = answer.body as Page<LedgerEntry>;
      fresh.push(...page.data.filter((entry) => !this.seen.has(entry.id)));
      for (const entry of page.data) this.seen.add(entry.id);
      if (!page.nextCursor) return fresh;
      this.cursor = page.nextCursor;
    }
  }
}
