/**
 * Money-safety harness for tests and the chaos bench: buy through the real Worker (HTTP, with the
 * test-only fault header), then drive the system to quiescence — the client retries with the same
 * key, and the sweep, pending refunds, webhook leases and reconciliation run with a clock moved
 * forward until nothing changes — and read back everything the invariants I1–I3 and I6 talk about: the
 * test provider's ledger, the orders, and the stock (on hand, held by the lock, mirrored in D1).
 */
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { createSellableSku } from "../../../test/factories/cart";
import { settleMirror } from "../../../test/factories/inventory";
import { checkouts, inventory, orders, paymentRefunds, payments } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { stockLockFor } from "../inventory/inventory.service";
import { retryPendingRefunds } from "../orders/order-refunds";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { reconcilePayments } from "../payments/reconcile";
import { checkoutDb as db, postCheckout, readyCartRows } from "./checkout.fixtures";
import { earlyEvents, lateEvents, type ActionOrdering } from "./checkout.harness.bank";
import { GIVE_UP_MS } from "./checkout.policy";
import { sweepStuck } from "./checkout.sweep";

export interface Purchase {
  sku: string;
  cartId: string;
  key: string;
  paymentMethod: string;
  onHand: number;
  quantity: number;
  startedAt: number;
  /** A payment that waits for the buyer: how it is finished (checkout.harness.bank.ts). */
  ordering?: ActionOrdering;
  /** The crash point the combination arms: the first POST /v1/checkout, and the browser's first complete. */
  fault?: string;
}

export async function newPurchase(token: string, options: { onHand?: number; quantity?: number } = {}): Promise<Purchase> {
  // `<payment method>~<ordering>`: a payment that waits for the buyer, and how it is finished
  const [paymentMethod = token, ordering] = token.split("~") as [string, ActionOrdering | undefined];
  const startedAt = Date.now();
  const onHand = options.onHand ?? 5;
  const quantity = options.quantity ?? 2;
  const sku = await createSellableSku({ onHand });
  // the cart API is not under test here: a ready cart's rows, written directly
  const [cartId] = await readyCartRows(1, sku, quantity);
  if (!cartId) throw new Error("no cart");
  return { sku, cartId, key: newId("idem"), paymentMethod, onHand, quantity, startedAt, ...(ordering ? { ordering } : {}) };
}

/** One client attempt: the same key and body every time; `fault` arms one test fault for this request only. */
export function attempt(purchase: Purchase, fault?: string) {
  return postCheckout(purchase.cartId, { key: purchase.key, paymentMethod: purchase.paymentMethod, headers: fault ? { "Motor-Test-Fault": fault } : {} });
}

/** A client that retries as docs/checkout.md says: on 5xx, 409 with Retry-After, or a dropped answer. */
export async function clientRetries(purchase: Purchase, firstFault?: string, attempts = 4): Promise<number> {
  let status = 0;
  for (let index = 0; index < attempts; index++) {
    const answer = await attempt(purchase, index === 0 ? firstFault : undefined);
    status = answer.status;
    const retryable = status >= 500 || (status === 409 && answer.response.headers.has("Retry-After"));
    if (!retryable) break;
  }
  return status;
}

/**
 * The harness's clock, shared by every purchase driven at once (the chaos block quiesces six at a
 * time, and each sweep drives every due row, other purchases' too). It only moves forward, as real
 * time does: with a clock per purchase, one purchase's sweep deferred another's row to its own,
 * later "now", past every round of the purchase that owned it, which then stopped with the row
 * still compensating — a failure of the harness, not of the system, whose cron shares one clock.
 */
let harnessClock = 0;
const advanceClock = (to: number) => (harnessClock = Math.max(harnessClock, to));

/**
 * Moves time forward past every deadline (stuck rows, backoffs, give-up) and runs every recovery
 * job until the purchase's money state stops changing; reconciliation reads what the test made.
 * The provider's own events (checkout.harness.bank.ts) arrive before the first round and after it.
 */
export async function quiesce(purchase: Purchase, provider: PaymentProvider = paymentProviderFor(env, configOf(env)), rounds = 8): Promise<number> {
  let previous = "";
  await earlyEvents(purchase);
  for (let round = 0; round < rounds; round++) {
    if (round === 1) await lateEvents(purchase);
    // past any per-row backoff (capped at 1 h) another purchase's sweep may have set
    const now = advanceClock(Math.max(Date.now() + GIVE_UP_MS + 60_000, harnessClock + 2 * 60 * 60 * 1000));
    await sweepStuck({ db: db(), env, payments: provider }, now);
    await retryPendingRefunds(db(), provider, now);
    await reconcilePayments(db(), provider, now, purchase.startedAt);
    // the rows' retry bookkeeping too: a round in which a failing step was only retried is not quiet
    const retries = await db().select({ attempts: checkouts.attempts, nextAttemptAt: checkouts.nextAttemptAt }).from(checkouts).where(eq(checkouts.cartId, purchase.cartId)).all();
    const fingerprint = JSON.stringify([await moneyState(purchase), retries]);
    if (fingerprint === previous) return round;
    previous = fingerprint;
  }
  return rounds;
}

export interface MoneyState {
  checkoutStates: string[];
  orders: { id: string; status: string; total: number; paymentId: string | null }[];
  charges: { id: string; amount: number; refunded: number; orderId: string | null }[];
  /** Refunds the provider made for these charges. */
  refunds: number;
  /** Payments still waiting for the buyer after quiescence (each one a hold nobody decides). */
  unresolvedActions: number;
  onHand: number | undefined;
  lockReserved: number;
  mirrorReserved: number | undefined;
}

export async function moneyState(purchase: Purchase): Promise<MoneyState> {
  // the end of a hold reaches the D1 mirror with the lock's alarm, within a second: let it run now
  await settleMirror(purchase.sku);
  const rows = await db().select().from(checkouts).where(eq(checkouts.cartId, purchase.cartId)).all();
  const ids = rows.map((row) => row.id);
  const [orderRows, chargeRows, stock] = await Promise.all([
    ids.length ? db().select().from(orders).where(inArray(orders.checkoutId, ids)).all() : [],
    ids.length ? db().select().from(payments).where(inArray(payments.checkoutId, ids)).all() : [],
    db().select().from(inventory).where(eq(inventory.sku, purchase.sku)).get(),
  ]);
  const chargeIds = chargeRows.map((charge) => charge.id);
  const refunds = chargeIds.length ? await db().select({ id: paymentRefunds.id }).from(paymentRefunds).where(inArray(paymentRefunds.paymentId, chargeIds)).all() : [];
  return {
    refunds: refunds.length,
    checkoutStates: rows.map((row) => row.state + (row.state === "completed" && row.stockCommittedAt === null ? "(uncommitted)" : "")),
    orders: orderRows.map((order) => ({ id: order.id, status: order.status, total: order.total, paymentId: order.paymentId })),
    // captured money only: a payment declined, cancelled, or still waiting for the buyer took none
    charges: chargeRows.filter((charge) => charge.status === "succeeded" || charge.status === "refunded").map((charge) => ({ id: charge.id, amount: charge.amount, refunded: charge.amountRefunded, orderId: charge.orderId })),
    unresolvedActions: chargeRows.filter((charge) => charge.status === "requires_action").length,
    onHand: stock?.onHand,
    lockReserved: (await stockLockFor(env, purchase.sku).snapshot(purchase.sku)).reserved,
    mirrorReserved: stock?.reserved,
  };
}

/** I1–I3 and I6 over one cart's purchase, as plain facts (empty = all hold). */
export function invariantViolations(purchase: Purchase, state: MoneyState, expectedOnHandWithoutOrder = purchase.onHand): string[] {
  const problems: string[] = [];
  const kept = state.orders.filter((order) => order.status !== "cancelled" && order.status !== "refunded");
  // I1: every charge is kept by exactly one order, or fully refunded
  for (const charge of state.charges) {
    const keepers = kept.filter((order) => order.paymentId === charge.id);
    if (keepers.length === 0 && charge.refunded !== charge.amount) problems.push(`I1 orphan charge ${charge.id}: ${charge.amount} charged, ${charge.refunded} refunded, no order keeps it`);
    if (keepers.length > 1) problems.push(`I1 charge ${charge.id} kept by ${keepers.length} orders`);
  }
  // I2: at most one order and one net charge per cart
  if (state.orders.length > 1) problems.push(`I2 ${state.orders.length} orders for one cart`);
  const net = state.charges.reduce((sum, charge) => sum + charge.amount - charge.refunded, 0);
  const owed = kept.reduce((sum, order) => sum + order.total, 0);
  if (net !== owed) problems.push(`I2 net charged ${net}, but the kept order totals ${owed}`);
  // I3: no hold outlives its checkout; stock matches what was sold
  if (state.lockReserved !== 0 || state.mirrorReserved !== 0) problems.push(`I3 ${state.lockReserved} held by the lock, ${state.mirrorReserved} mirrored, after quiescence`);
  const sold = state.orders.some((order) => order.status !== "cancelled") ? purchase.quantity : 0;
  if (state.onHand !== expectedOnHandWithoutOrder - sold) problems.push(`on hand ${state.onHand}, expected ${expectedOnHandWithoutOrder - sold}`);
  if (state.checkoutStates.some((value) => value !== "completed" && value !== "compensated")) problems.push(`checkouts not final: ${state.checkoutStates.join(", ")}`);
  // I6 (issue 23): no payment is left waiting for the buyer past its window
  if (state.unresolvedActions > 0) problems.push(`I6 ${state.unresolvedActions} payment(s) still wait for the buyer after quiescence`);
  return problems;
}
