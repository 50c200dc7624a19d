/**
 * The stock invariant, per SKU the run traded in, after quiescence:
 *   on hand = start + admin changes − units sold + units put back (refund restocks, cancels)
 * where racing admin sets make it a range placed by the Journal's client windows, and `reserved`
 * must be what checkouts stuck on an unknown outcome still hold. Why a range, and how each term is
 * read: docs/checkout.md, "The HTTP chaos run", the verdict.
 */
import { hull, serverWindow, type Journal, type Window } from "../journal";
import type { AdminOrderView, OrderView, StockLevel } from "../shapes";
import type { World } from "../world";

interface Change {
  delta: number;
  window: Window;
  what: string;
}

export interface StockFigures {
  sold: number;
  restocked: number;
  sets: number;
  /** SKUs whose expected on hand was a range (a set overlapped a sale or restock). */
  ranged: number;
  heldByStuckCheckouts: number;
}

export function stockViolations(
  world: World,
  orders: OrderView[],
  details: Map<string, AdminOrderView>,
  levels: Map<string, StockLevel>,
): { violations: string[]; figures: StockFigures } {
  const { journal } = world;
  const violations: string[] = [];
  const changes = changesBySku(orders, details, journal);
  const holds = journal.expectedHolds();
  const figures: StockFigures = { sold: 0, restocked: 0, sets: 0, ranged: 0, heldByStuckCheckouts: 0 };
  for (const { sku } of world.skus) {
    const level = levels.get(sku);
    if (!level) {
      violations.push(`${sku}: no stock level read after the run`);
      continue;
    }
    const mine = changes.get(sku) ?? [];
    figures.sold -= mine.filter((change) => change.delta < 0).reduce((sum, change) => sum + change.delta, 0);
    figures.restocked += mine.filter((change) => change.delta > 0).reduce((sum, change) => sum + change.delta, 0);
    const sets = journal.sets.get(sku) ?? [];
    figures.sets += sets.filter((set) => set.outcome === "applied").length;
    const last = [...sets].reverse().find((set) => set.outcome !== "refused");
    const start = world.startOnHand.get(sku) ?? 0;
    let low: number;
    let high: number;
    let basis: string;
    if (!last) {
      low = high = start + mine.reduce((sum, change) => sum + change.delta, 0);
      basis = `start ${start}`;
    } else if (last.outcome === "unknown") {
      violations.push(
        `${sku}: the last stock set (${last.value}) never got a clear answer; on hand ${level.onHand} cannot be judged`,
      );
      continue;
    } else {
      const after = mine.filter((change) => change.window.start > last.window.end);
      const overlapping = mine.filter(
        (change) => change.window.start <= last.window.end && change.window.end >= last.window.start,
      );
      const base = last.value + after.reduce((sum, change) => sum + change.delta, 0);
      low = base + overlapping.filter((change) => change.delta < 0).reduce((sum, change) => sum + change.delta, 0);
      high = base + overlapping.filter((change) => change.delta > 0).reduce((sum, change) => sum + change.delta, 0);
      if (low !== high) figures.ranged += 1;
      basis =
        `last set ${last.value} at ${new Date(last.window.start).toISOString()}, ${after.length} changes ` +
        `after it, ${overlapping.length} overlapping it`;
    }
    if (level.onHand < low || level.onHand > high) {
      violations.push(
        `${sku}: on hand ${level.onHand}, expected ${low === high ? low : `${low}…${high}`} ` +
          `(${basis}; ${mine.length} sales/restocks: ${mine
            .map((change) => change.what)
            .join(", ")
            .slice(0, 600)})`,
      );
    }
    if (level.onHand < 0) violations.push(`${sku}: on hand ${level.onHand} is negative (oversold)`);
    const expected = holds.get(sku) ?? { min: 0, max: 0 };
    figures.heldByStuckCheckouts += expected.min;
    if (level.reserved < expected.min || level.reserved > expected.max) {
      violations.push(
        `I3 ${sku}: ${level.reserved} reserved after quiescence, expected ` +
          `${expected.min === expected.max ? expected.min : `${expected.min}…${expected.max}`} (held by ` +
          `checkouts still stuck on an unknown payment outcome)`,
      );
    }
  }
  return { violations, figures };
}

/** Every sale and restock the server recorded, by SKU, placed by the client windows that made it. */
function changesBySku(
  orders: OrderView[],
  details: Map<string, AdminOrderView>,
  journal: Journal,
): Map<string, Change[]> {
  const changes = new Map<string, Change[]>();
  const add = (sku: string, change: Change) => changes.set(sku, [...(changes.get(sku) ?? []), change]);
  for (const order of orders) {
    const written = journal.orders.get(order.id)?.written ?? serverWindow(order.createdAt);
    for (const line of order.lines)
      add(line.sku, { delta: -line.quantity, window: written, what: `-${line.quantity} ${order.id}` });
    const detail = details.get(order.id);
    if (!detail) continue;
    const restocked = new Map<string, number>();
    for (const refund of detail.refunds.filter((each) => each.restock && each.lines.length > 0)) {
      const window = journal.refunds.get(refund.id) ?? serverWindow(refund.createdAt);
      for (const line of refund.lines) {
        restocked.set(line.sku, (restocked.get(line.sku) ?? 0) + line.quantity);
        add(line.sku, { delta: line.quantity, window, what: `+${line.quantity} ${refund.id}` });
      }
    }
    // a move to cancelled/refunded from paid: its refund row has no lines and restocks the rest
    const moveRefund = detail.refunds.find((each) => each.restock && each.lines.length === 0);
    if (!moveRefund) continue;
    const moves = journal.moves.filter(
      (move) => move.orderId === order.id && (move.to === "cancelled" || move.to === "refunded"),
    );
    const window =
      moves.length > 0 ? moves.map((move) => move.window).reduce(hull) : serverWindow(moveRefund.createdAt);
    for (const line of order.lines) {
      const rest = line.quantity - (restocked.get(line.sku) ?? 0);
      if (rest > 0) add(line.sku, { delta: rest, window, what: `+${rest} ${order.id} ${detail.status}` });
    }
  }
  return changes;
}
