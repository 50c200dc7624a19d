/**
 * What the clients saw, kept as facts for the invariants after the run: carts and how each of
 * their checkout keys ended, orders with the time window in which they were written, order moves
 * and refunds with their windows, and every admin stock set. Windows are client clocks around
 * the requests that did the change: the server applied it somewhere inside, which is all a
 * black-box client can know — the stock invariant needs no more (invariants/stock.ts).
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
export const hull = (a: Window, b: Window): Window => ({ start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) });

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

export interface KeyRecord {
  key: string;
  paymentMethod: string;
  firstSentAt: number;
  outcome: KeyOutcome;
  last: string;
  orderId?: string;
}

export interface CartRecord {
  id: string;
  actor: string;
  /** The cart's lines when it was checked out (what a checkout holds). */
  lines: Map<string, number>;
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

/** Payment methods that can leave money at the provider (a charge) when their checkout is left unfinished. */
const MAY_CHARGE = new Set(["pm_card_visa", "pm_card_mastercard", "pm_card_lostResponse", "pm_card_refundFails"]);

export class Journal {
  readonly carts = new Map<string, CartRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly moves: MoveRecord[] = [];
  /** Refund id → the window of the requests that made it (first send of its key → first 201). */
  readonly refunds = new Map<string, Window>();
  readonly sets = new Map<string, SetRecord[]>();
  /** Facts a client saw that break an invariant on their own (two orders for one cart …). */
  readonly violations: string[] = [];
  /** Hostile requests answered in a way the hostile set forbids (leaks, missing headers, wrong status). */
  readonly hostileFindings: string[] = [];
  /** Orders the racers pick from. */
  readonly board: OrderRecord[] = [];

  cart(id: string, actor: string, lines: Map<string, number>): CartRecord {
    const cart = { id, actor, lines, keys: [] };
    this.carts.set(id, cart);
    return cart;
  }

  /** A 201 from checkout: the order, once per id; a second order for one cart is an I2 violation. */
  ordered(cart: CartRecord, order: Omit<OrderRecord, "written" | "cartId">, answeredAt: number): OrderRecord {
    const other = [...this.orders.values()].find((known) => known.cartId === cart.id && known.id !== order.id);
    if (other) this.violations.push(`I2: cart ${cart.id} became two orders, ${other.id} and ${order.id}`);
    const known = this.orders.get(order.id);
    if (known) return known;
    const firstSent = Math.min(...cart.keys.map((key) => key.firstSentAt));
    const record = { ...order, cartId: cart.id, written: { start: firstSent, end: answeredAt } };
    this.orders.set(order.id, record);
    this.board.push(record);
    return record;
  }

  refunded(refundId: string, window: Window): void {
    const known = this.refunds.get(refundId);
    this.refunds.set(refundId, known ? hull(known, window) : window);
  }

  set(sku: string, record: SetRecord): void {
    this.sets.set(sku, [...(this.sets.get(sku) ?? []), record]);
  }

  /**
   * The units each SKU should still have held once everything settled: exact for carts whose
   * checkout is stuck on an unknown outcome (one live checkout per cart holds the cart's lines),
   * a range [0, lines] for carts whose last answer left it open.
   */
  expectedHolds(): Map<string, { min: number; max: number }> {
    const holds = new Map<string, { min: number; max: number }>();
    const add = (sku: string, min: number, max: number) => {
      const known = holds.get(sku) ?? { min: 0, max: 0 };
      holds.set(sku, { min: known.min + min, max: known.max + max });
    };
    for (const cart of this.carts.values()) {
      const state = cartState(cart);
      if (state === "settled") continue;
      for (const [sku, quantity] of cart.lines) add(sku, state === "held" ? quantity : 0, quantity);
    }
    return holds;
  }

  /** Carts left unfinished with a payment method that may have charged: charges still in flight. */
  chargesInFlight(): number {
    let count = 0;
    for (const cart of this.carts.values()) {
      if (cartState(cart) === "settled") continue;
      if (cart.keys.some((key) => key.outcome !== "final" && MAY_CHARGE.has(key.paymentMethod))) count += 1;
    }
    return count;
  }

  keysBy(outcome: KeyOutcome): number {
    let count = 0;
    for (const cart of this.carts.values()) count += cart.keys.filter((key) => key.outcome === outcome).length;
    return count;
  }
}

/** `settled`: holds nothing; `held`: a stuck checkout holds the lines; `open`: it may or may not. */
function cartState(cart: CartRecord): "settled" | "held" | "open" {
  if (cart.keys.some((key) => key.outcome === "order")) return "settled";
  if (cart.keys.some((key) => key.outcome === "stuck")) return "held";
  if (cart.keys.some((key) => key.outcome === "waiting" || key.outcome === "unresolved")) return "open";
  return "settled";
}
