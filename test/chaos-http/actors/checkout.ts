/**
 * One Idempotency-Key of a checkout, driven the way docs/checkout.md tells a client to ("What a
 * client does on each answer of POST /v1/checkout"): the same request with the same key after
 * every 5xx, every 409 with Retry-After and every 429, until a final answer — or until the run
 * stops asking. It names the total its buyer agreed to (If-Match and/or `expectedTotal`), which
 * the Journal keeps with the key, as it keeps how the key ended (KeyOutcome, 409 price-changed).
 */
import { problemKind, retryAfterMs, sleep, type Client } from "../client";
import type { CartRecord, Consent, KeyRecord, Owner } from "../journal";
import { NEVER_ANSWERS } from "../plan";
import type { Prng } from "../prng";
import type { OrderView, PriceChanged } from "../shapes";
import type { World } from "../world";
import { consentRequest } from "./consent";

export interface KeyOptions {
  owner?: Owner;
  consent?: Consent;
  /** Called once, after the key's first 503 payment-outcome-unknown (the checkout is live then). */
  onUnknown?: () => Promise<unknown>;
}

/** A few "still in progress" answers are worth waiting out; a cart held by another key's stuck checkout never frees. */
const MAX_WAITS = 4;
/** A 500 or a lost answer is retried with the same key (the checkout resumes from its durable state), a few times. */
const MAX_BLIND_RETRIES = 4;

export async function checkoutWithKey(
  world: World,
  client: Client,
  prng: Prng,
  cart: CartRecord,
  paymentMethod: string,
  key: string,
  { owner, consent, onUnknown }: KeyOptions = {},
): Promise<KeyRecord> {
  const record: KeyRecord = {
    key,
    paymentMethod,
    firstSentAt: Date.now(),
    outcome: "unresolved",
    last: "not sent",
    ...(consent ? { consent } : {}),
  };
  cart.keys.push(record);
  // the same bytes on every retry: the body is the key's fingerprint
  const named = consentRequest(consent);
  const body = { cartId: cart.id, paymentMethod, ...named.body };
  // an unknown outcome of a token that never charges stays unknown: ask once or twice more, then leave it stuck
  const unknownBudget = NEVER_ANSWERS.has(paymentMethod) ? prng.int(0, 2) : Infinity;
  let unknowns = 0;
  let waits = 0;
  let blind = 0;
  for (;;) {
    const answer = await client.send("/v1/checkout", {
      method: "POST",
      json: body,
      headers: named.headers,
      key,
      token: owner?.token,
    });
    const kind = problemKind(answer);
    record.last = `${answer.status || "no answer"} ${kind}`.trim();
    if (answer.status === 201) {
      const order = answer.body as OrderView;
      if (record.orderId && record.orderId !== order.id)
        world.journal.violations.push(`I2: key ${key} answered two orders, ${record.orderId} and ${order.id}`);
      record.orderId = order.id;
      record.outcome = "order";
      const known = world.journal.ordered(
        cart,
        {
          id: order.id,
          owner,
          lines: order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
          total: order.total.amount,
          currency: order.total.currency,
          paymentId: order.paymentId,
        },
        answer.endedAt,
      );
      // a replay (same key) must answer the order the first 201 named
      if (known.id !== order.id)
        world.journal.violations.push(`I2: ${order.id} replayed for key ${key}, expected ${known.id}`);
      return record;
    }
    if (answer.status === 409 && kind === "price-changed") record.priceChanged = (answer.body as PriceChanged).total;
    if (answer.status === 503 && kind === "payment-outcome-unknown" && record.unknownAt === undefined) {
      record.unknownAt = answer.endedAt;
      await onUnknown?.();
    }
    let next: "retry" | "final" | "stuck" | "waiting" | "unresolved";
    if (answer.status === 503 && kind === "payment-outcome-unknown")
      next = ++unknowns > unknownBudget ? "stuck" : "retry";
    else if (answer.status === 409 && answer.headers.has("retry-after"))
      next = ++waits > MAX_WAITS ? "waiting" : "retry";
    else if (answer.status === 429 || (answer.status === 503 && answer.headers.has("retry-after"))) next = "retry";
    else if (answer.status === 0 || answer.status >= 500) next = ++blind > MAX_BLIND_RETRIES ? "unresolved" : "retry";
    else next = "final"; // 402, 409 out of stock / already ordered, 422, 4xx: final for this key
    if (next === "retry" && Date.now() > world.hardStop)
      next = kind === "payment-outcome-unknown" ? "stuck" : answer.status === 409 ? "waiting" : "unresolved";
    if (next !== "retry") {
      record.outcome = next;
      return record;
    }
    await sleep(retryAfterMs(answer, 1_000, 6_000));
  }
}
