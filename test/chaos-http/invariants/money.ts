/**
 * The money invariants of docs/checkout.md (I1, I2, never more refunded than charged), judged from
 * the outside: the test provider's ledger (every page) against the orders and their staff view.
 * Charges no order keeps are allowed only for carts the clients left unfinished. Details:
 * docs/checkout.md, "The HTTP chaos run", the verdict.
 */
import type { Journal } from "../journal";
import type { AdminOrderView, LedgerEntry, OrderView } from "../shapes";

export interface MoneyFigures {
  charges: number;
  declined: number;
  refunds: number;
  /** Orders whose refund is decided but not yet confirmed by the provider. */
  pendingRefunds: number;
  /** Charges refunded in full with no order (compensated checkouts, reconciliation). */
  compensated: number;
  /** Charges of checkouts still live when the clients stopped. */
  inFlight: number;
}

const FINAL = new Set(["cancelled", "refunded"]);

export function moneyViolations(
  ledger: LedgerEntry[],
  orders: OrderView[],
  details: Map<string, AdminOrderView>,
  journal: Journal,
): { violations: string[]; figures: MoneyFigures } {
  const violations: string[] = [];
  const charges = ledger.filter((entry) => entry.kind === "charge");
  const taken = charges.filter((charge) => charge.status !== "declined");
  const refundsOf = new Map<string, number>();
  for (const refund of ledger.filter((entry) => entry.kind === "refund")) {
    if (!charges.some((charge) => charge.paymentId === refund.paymentId))
      violations.push(`refund ${refund.id} of ${refund.amount} names no charge in the ledger (${refund.paymentId})`);
    refundsOf.set(refund.paymentId, (refundsOf.get(refund.paymentId) ?? 0) + refund.amount);
  }
  const keepersOf = new Map<string, OrderView[]>();
  for (const order of orders)
    if (order.paymentId) keepersOf.set(order.paymentId, [...(keepersOf.get(order.paymentId) ?? []), order]);

  const figures: MoneyFigures = {
    charges: taken.length,
    declined: charges.length - taken.length,
    refunds: ledger.length - charges.length,
    pendingRefunds: 0,
    compensated: 0,
    inFlight: 0,
  };
  const orphans: string[] = [];
  for (const charge of taken) {
    const refunded = refundsOf.get(charge.paymentId) ?? 0;
    const label = `charge ${charge.paymentId} (${charge.amount} ${charge.currency}, key ${charge.idempotencyKey})`;
    if (refunded > charge.amount) violations.push(`${label}: refunded ${refunded}, more than charged`);
    if ((refunded === charge.amount) !== (charge.status === "refunded"))
      violations.push(`${label}: the ledger says ${charge.status} with ${refunded} refunded`);
    const keepers = keepersOf.get(charge.paymentId) ?? [];
    if (keepers.length > 1)
      violations.push(`I1 ${label}: kept by ${keepers.length} orders (${keepers.map((order) => order.id).join(", ")})`);
    const order = keepers[0];
    if (!order) {
      if (refunded === charge.amount) figures.compensated += 1;
      else
        orphans.push(`${label}: ${refunded} refunded, no order keeps it (its checkout's order id: ${charge.orderId})`);
      continue;
    }
    if (order.total.amount !== charge.amount)
      violations.push(`${label}: order ${order.id} totals ${order.total.amount}`);
    if (charge.orderId !== order.id)
      violations.push(`${label}: the provider has it for order ${charge.orderId}, Motor for ${order.id}`);
    const detail = details.get(order.id);
    if (!detail) continue;
    const decided = detail.refunds.reduce((sum, refund) => sum + refund.amount.amount, 0);
    const pending = detail.payments.reduce((sum, payment) => sum + payment.refundPending.amount, 0);
    if (pending > 0) figures.pendingRefunds += 1;
    if (decided > order.total.amount)
      violations.push(`order ${order.id}: refunds of ${decided} decided on a total of ${order.total.amount}`);
    if (refunded > decided)
      violations.push(`order ${order.id}: the provider refunded ${refunded}, Motor decided only ${decided}`);
    if (FINAL.has(detail.status)) {
      if (decided !== order.total.amount)
        violations.push(
          `I4 order ${order.id} is ${detail.status} but only ${decided} of ${order.total.amount} was decided back`,
        );
      if (refunded + pending < charge.amount)
        violations.push(
          `I1 order ${order.id} is ${detail.status}: ${refunded} refunded + ${pending} pending of ${charge.amount} charged`,
        );
    }
  }
  // a checkout the clients left live may own a charge nobody has written an order for yet
  const allowance = journal.chargesInFlight();
  if (orphans.length > allowance)
    violations.push(
      `I1: ${orphans.length} charges with no order and not refunded (only ${allowance} checkouts were ` +
        `left live):\n    ${orphans.join("\n    ")}`,
    );
  else figures.inFlight = orphans.length;

  for (const [what, keyOf] of [
    ["checkout", (charge: LedgerEntry) => charge.idempotencyKey],
    ["order", (charge: LedgerEntry) => charge.orderId ?? ""],
  ] as const) {
    const seen = new Map<string, number>();
    for (const charge of taken) seen.set(keyOf(charge), (seen.get(keyOf(charge)) ?? 0) + 1);
    for (const [key, count] of seen)
      if (key && count > 1) violations.push(`I2: ${count} successful charges for one ${what} (${key})`);
  }
  for (const order of orders) {
    if (order.paymentId && !taken.some((charge) => charge.paymentId === order.paymentId))
      violations.push(`order ${order.id}: its payment ${order.paymentId} is not a successful charge in the ledger`);
  }
  const listed = new Set(orders.map((order) => order.id));
  for (const id of journal.orders.keys())
    if (!listed.has(id)) violations.push(`order ${id} was answered 201 but is not in GET /v1/admin/orders`);
  violations.push(...journal.violations);
  return { violations, figures };
}
