/**
 * The facts the Journal keeps, one record type each: windows (when a change may have happened),
 * checkout keys with the consent they carried and how they ended, cart writes, orders, moves,
 * stock sets and payment events delivered. Plain data, read by the invariants.
 */

export interface Window {
  start: number;
  end: number;
}
/**
 * A change no client answer names (its answer was lost, or the sweep made it): placed by the
 * server's own timestamp of it, taken just before its batch. The batch commits within the request
 * that made it, so the window runs from a little before (clock granularity) to the longest a
 * request may last (the clients give up after 30 s).
 */
export const serverWindow = (iso: string): Window => {
  const at = Date.parse(iso);
  return { start: at - 2_000, end: at + 30_000 };
};
export const hull = (a: Window, b: Window): Window => ({
  start: Math.min(a.start, b.start),
  end: Math.max(a.end, b.end),
});

/**
 * How one Idempotency-Key of a checkout ended, as the client left it:
 * - `order`: 201; `final`: a refusal that holds nothing (402, 409 out of stock or already ordered, 4xx);
 * - `stuck`: still 503 payment-outcome-unknown when the client stopped asking: the checkout stays
 *   `charging` and keeps its stock held (docs/checkout.md) until the provider answers, the 15-min
 *   give-up or the 10-min reservation expiry — far beyond a bounded run;
 * - `waiting`: still 409 "in progress" (another key of the cart holds the live checkout);
 * - `unresolved`: the last answer said nothing certain (500, 429, no answer, another 503).
 */
export type KeyOutcome = "order" | "final" | "stuck" | "waiting" | "unresolved";

/**
 * The total a buyer agreed to pay for one checkout key (docs/checkout.md, "the buyer's consent"):
 * the total shown, sent as the cart's ETag in If-Match, as `expectedTotal`, or both.
 */
export interface Consent {
  total: number;
  currency: string;
  /** The ETag sent as If-Match (the version whose total is `total`). */
  ifMatch?: string;
  expectedTotal: boolean;
}

export interface KeyRecord {
  key: string;
  paymentMethod: string;
  firstSentAt: number;
  outcome: KeyOutcome;
  last: string;
  orderId?: string;
  /** Absent: a v1 checkout that names no total, charged whatever the cart costs when it is priced. */
  consent?: Consent;
  /** The total a 409 price-changed named: the key ended with it, and nothing may be charged for it. */
  priceChanged?: { amount: number; currency: string };
  /** When its first 503 payment-outcome-unknown answer ended: from then on the checkout is live. */
  unknownAt?: number;
}

/** One write to a cart (create, items, PATCH, discount), as its client left it. */
export interface CartWrite {
  what: string;
  window: Window;
  /** The last answer's status; 0 or a 5xx leaves the outcome unknown. */
  status: number;
  /** The cart's lines in a 2xx answer. */
  lines?: Map<string, number>;
  /** Sent by a second tab while a checkout of the cart was running. */
  racing: boolean;
}

export interface CartRecord {
  id: string;
  actor: string;
  email: string;
  /** The lines of the last write answered 2xx: what a checkout of the cart holds and charges. */
  lines: Map<string, number>;
  writes: CartWrite[];
  keys: KeyRecord[];
}

export interface Owner {
  token: string;
  ip: string;
}

export interface OrderRecord {
  id: string;
  cartId: string;
  /** From the cart's first checkout attempt to the first 201 naming this order. */
  written: Window;
  owner?: Owner;
  lines: { sku: string; quantity: number }[];
  total: number;
  currency: string;
  paymentId: string | null;
}

export interface MoveRecord {
  orderId: string;
  /** The status the 200 answer reports (cancelled, refunded, fulfilled …). */
  to: string;
  window: Window;
}

export interface SetRecord {
  value: number;
  window: Window;
  /** `applied`: 200; `unknown`: 5xx or no answer (D1 may hold it already); `refused`: 4xx. */
  outcome: "applied" | "unknown" | "refused";
}

/** A signed payment event the webhook actor delivered (actors/webhooks.ts). */
export interface WebhookDelivery {
  eventId: string;
  type: string;
  paymentId: string;
  /** The order a 201 had named for this payment before the event was sent. */
  orderId?: string;
  window: Window;
  status: number;
  duplicate?: boolean;
}
