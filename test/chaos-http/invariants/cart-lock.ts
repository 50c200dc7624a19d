/**
 * The cart lock (docs/checkout.md, "The cart during a checkout"), judged per cart from the
 * Journal's writes and keys: L1 an order's lines are those of its cart's last write answered 2xx;
 * L2 no write is accepted once the checkout is provably live or done. Carts with a write whose
 * outcome is unknown are left out of L1 and counted. Why these hold: docs/checkout.md, "The HTTP chaos run", the verdict.
 */
import type { CartRecord, Journal } from "../journal";
import type { OrderView } from "../shapes";

export interface CartLockFigures {
  /** Writes a second tab sent during a checkout (or after its unknown outcome): accepted, refused with 409. */
  tabAccepted: number;
  tabRefused: number;
  unjudged: number;
}

const show = (lines: Map<string, number>) =>
  [...lines]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sku, quantity]) => `${sku}×${quantity}`)
    .join(" ") || "(empty)";

export function cartLockViolations(
  orders: OrderView[],
  journal: Journal,
): { violations: string[]; figures: CartLockFigures } {
  const violations: string[] = [];
  const figures: CartLockFigures = { tabAccepted: 0, tabRefused: 0, unjudged: 0 };
  for (const cart of journal.carts.values()) {
    const tab = cart.writes.filter((write) => write.racing);
    figures.tabAccepted += tab.filter((write) => write.lines).length;
    figures.tabRefused += tab.filter((write) => write.status === 409).length;
    const liveFrom = Math.min(
      ...cart.keys.map((key) => key.unknownAt ?? Infinity),
      ...[...journal.orders.values()].filter((order) => order.cartId === cart.id).map((order) => order.written.end),
    );
    for (const write of cart.writes.filter((each) => each.lines && each.window.start > liveFrom)) {
      violations.push(
        `L2 cart ${cart.id}: "${write.what}" was accepted (${write.status}) at ` +
          `${new Date(write.window.start).toISOString()}, after its checkout was live or done ` +
          `(${new Date(liveFrom).toISOString()}); now ${show(write.lines!)}`,
      );
    }
  }
  for (const order of orders) {
    const sources = journal.sourcesOf(order.id, order.email);
    const judged = sources.filter((cart) => !cart.writes.some((write) => write.status === 0 || write.status >= 500));
    if (judged.length < sources.length) {
      figures.unjudged += 1;
      continue;
    }
    const lines = new Map(order.lines.map((line) => [line.sku, line.quantity]));
    const expected = judged.flatMap(lastAccepted);
    if (expected.length > 0 && !expected.some((candidate) => show(candidate) === show(lines))) {
      violations.push(
        `L1 order ${order.id} holds ${show(lines)}, but the last accepted write to its cart left ` +
          `${expected.map(show).join(" or ")} (${describe(judged)})`,
      );
    }
  }
  return { violations, figures };
}

/** The lines of the writes answered 2xx that no other such write followed (one, when the windows do not overlap). */
function lastAccepted(cart: CartRecord): Map<string, number>[] {
  const accepted = cart.writes.filter((write) => write.lines);
  return accepted
    .filter((write) => !accepted.some((other) => other.window.start > write.window.end))
    .map((write) => write.lines!);
}

/** The writes of the carts, for a finding a person has to read. */
const describe = (carts: CartRecord[]) =>
  carts
    .map(
      (cart) =>
        `${cart.id}: ` +
        `${cart.writes.map((write) => `${write.what} → ${write.status}${write.lines ? ` [${show(write.lines)}]` : ""}`).join("; ")}`,
    )
    .join(" | ")
    .slice(0, 1_500);
