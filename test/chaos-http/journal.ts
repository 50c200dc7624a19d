/**
 * What the clients saw, kept as facts for the invariants after the run: carts and their writes,
 * checkout keys and how they ended (with the consented total), orders, moves, refunds and stock sets
 * with their windows, and the payment events delivered. A window is the client's clock around the
 * requests that made a change: all a black-box client can know. docs/checkout.md, "The HTTP chaos run".
 */
import {
  hull,
  type CartRecord,
  type CartWrite,
  type KeyOutcome,
  type MoveRecord,
  type OrderRecord,
  type SetRecord,
  type WebhookDelivery,
  type Window,
} from "./records";

export * from "./records";

/** Payment methods that can leave money at the provider (a charge) when their checkout is left unfinished. */
const MAY_CHARGE = new Set(["pm_card_visa", "pm_card_mastercard", "pm_card_lostResponse", "pm_card_refundFails"]);

export class Journal {
  readonly carts = new Map<string, CartRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly moves: MoveRecord[] = [];
  /** Refund id → the window of the requests that made it (first send of its key → first 201). */
  readonly refunds = new Map<string, Window>();
  readonly sets = new Map<string, SetRecord[]>();
  readonly webhooks: WebhookDelivery[] = [];
  /** Facts a client saw that break an invariant on their own (two orders for one cart …). */
  readonly violations: string[] = [];
  /** Hostile requests answered in a way the hostile set forbids (leaks, missing headers, wrong status). */
  readonly hostileFindings: string[] = [];
  /** Orders the racers pick from. */
  readonly board: OrderRecord[] = [];

  /** A cart as its 201 created it: no lines yet. */
  cart(id: string, actor: string, email: string, window: Window): CartRecord {
    const cart: CartRecord = {
      id,
      actor,
      email,
      lines: new Map(),
      writes: [{ what: "create", window, status: 201, lines: new Map(), racing: false }],
      keys: [],
    };
    this.carts.set(id, cart);
    return cart;
  }

  wrote(cart: CartRecord, write: CartWrite): void {
    cart.writes.push(write);
    if (write.lines) cart.lines = write.lines;
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

  /**
   * The carts an order may come from: the one whose key a 201 named it to; for an order no answer
   * named, its buyer's carts (by email) that have no order and a key the client left open.
   */
  sourcesOf(orderId: string, email: string): CartRecord[] {
    const named = this.orders.get(orderId);
    const cart = named && this.carts.get(named.cartId);
    if (cart) return [cart];
    return [...this.carts.values()].filter(
      (each) =>
        each.email === email &&
        !each.keys.some((key) => key.outcome === "order") &&
        each.keys.some((key) => key.outcome !== "final"),
    );
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
