/**
 * Money-safety harness for tests and the chaos bench: buy through the real Worker (with the test-only
 * fault header), drive the system to quiescence (client retries with the same key; sweep, refunds,
 * webhook leases and reconciliation with the clock moved forward), finish manual-capture orders as a
 * shop would, and read back what the invariants I1–I3 and I6–I8 talk about. docs/checkout.md, "The
 * fault-injection matrix".
 */
import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { createSellableSku } from "../../../test/helpers/cart";
import { settleMirror } from "../../../test/helpers/inventory";
import { checkouts, inventory, orderRefunds, orders, testProviderCharges, testProviderRefunds } from "../../db/schema";
import { configOf } from "../../env";
import { CAPTURE_HEADER, FAULT_HEADER } from "../../platform/faults";
import { newId } from "../../platform/ids";
import type { Actor } from "../audit/audit.service";
import { stockLockFor } from "../inventory/inventory.service";
import { fulfillOrder } from "../orders/fulfill-order";
import { ACT_BEFORE_EXPIRY_MS } from "../orders/order-payment";
import { settleDueOrderPayments } from "../orders/order-payments.cron";
import { retryPendingRefunds } from "../orders/order-refunds.cron";
import { transitionOrder } from "../orders/orders.service";
import { refundOrder } from "../orders/refund-order";
import type { PaymentProvider } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { reconcilePayments } from "../payments/reconcile";
import { checkoutDb as db, postCheckout, readyCartRows, sweepDue } from "./checkout.fixtures";
import { earlyEvents, lateEvents, type ActionOrdering } from "./checkout-bank.fixtures";
import { GIVE_UP_MS } from "./checkout.policy";

export interface Purchase {
  sku: string;
  cartId: string;
  key: string;
  paymentMethod: string;
  onHand: number;
  quantity: number;
  startedAt: number;
  /** A payment that waits for the buyer: how it is finished (checkout-bank.fixtures.ts). */
  ordering?: ActionOrdering;
  /** The crash point the combination arms: the first POST /v1/checkout, and the browser's first complete. */
  fault?: string;
  /** Authorise now, capture later: every attempt sends `Motor-Test-Capture: manual`. */
  capture?: "manual";
}

export async function newPurchase(
  token: string,
  options: { onHand?: number; quantity?: number; capture?: "manual" } = {},
): Promise<Purchase> {
  // `<payment method>~<ordering>`: a payment that waits for the buyer, and how it is finished
  const [paymentMethod = token, ordering] = token.split("~") as [string, ActionOrdering | undefined];
  const startedAt = Date.now();
  const onHand = options.onHand ?? 5;
  const quantity = options.quantity ?? 2;
  const sku = await createSellableSku({ onHand });
  // the cart API is not under test here: a ready cart's rows, written directly
  const [cartId] = await readyCartRows(1, sku, quantity);
  if (!cartId) throw new Error("no cart");
  return {
    sku,
    cartId,
    key: newId("idem"),
    paymentMethod,
    onHand,
    quantity,
    startedAt,
    ...(ordering ? { ordering } : {}),
    ...(options.capture ? { capture: options.capture } : {}),
  };
}

/** One client attempt: the same key, body and capture every time; `fault` arms one test fault for this request only. */
export function attempt(purchase: Purchase, fault?: string) {
  const headers: Record<string, string> = {
    ...(fault ? { [FAULT_HEADER]: fault } : {}),
    ...(purchase.capture ? { [CAPTURE_HEADER]: purchase.capture } : {}),
  };
  return postCheckout(purchase.cartId, { key: purchase.key, paymentMethod: purchase.paymentMethod, headers });
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
 * The provider's own events (checkout-bank.fixtures.ts) arrive before the first round and after it.
 */
export async function quiesce(
  purchase: Purchase,
  provider: PaymentProvider = paymentProviderFor(env, configOf(env)),
  rounds = 8,
): Promise<number> {
  let previous = "";
  await earlyEvents(purchase);
  for (let round = 0; round < rounds; round++) {
    if (round === 1) await lateEvents(purchase);
    const now = nextRoundClock();
    await recoveryJobs(purchase, provider, now);
    const fingerprint = await fingerprintOf(purchase);
    if (fingerprint === previous) return round;
    previous = fingerprint;
  }
  return rounds;
}

// past any per-row backoff (capped at 1 h) another purchase's sweep may have set
const nextRoundClock = (atLeast = 0) =>
  advanceClock(Math.max(atLeast, Date.now() + GIVE_UP_MS + 60_000, harnessClock + 2 * 60 * 60 * 1000));

async function recoveryJobs(purchase: Purchase, provider: PaymentProvider, now: number): Promise<void> {
  await sweepDue({ db: db(), env, payments: provider }, now);
  await retryPendingRefunds(db(), provider, now);
  await reconcilePayments(db(), provider, now, purchase.startedAt);
}

/** The money state and the rows' retry bookkeeping: a round in which a failing step was only retried is not quiet. */
async function fingerprintOf(purchase: Purchase): Promise<string> {
  const retries = await db()
    .select({ id: checkouts.id, attempts: checkouts.attempts, nextAttemptAt: checkouts.nextAttemptAt })
    .from(checkouts)
    .where(eq(checkouts.cartId, purchase.cartId))
    .all();
  const ids = retries.map((row) => row.id);
  // and an order's capture or void retried by the cron (order-payment.ts)
  const payments = ids.length
    ? await db()
        .select({ attempts: orders.paymentAttempts, nextAttemptAt: orders.paymentNextAttemptAt })
        .from(orders)
        .where(inArray(orders.checkoutId, ids))
        .all()
    : [];
  return JSON.stringify([await moneyState(purchase), retries, payments]);
}

const checkoutIdsOf = async (purchase: Purchase) =>
  (await db().select({ id: checkouts.id }).from(checkouts).where(eq(checkouts.cartId, purchase.cartId)).all()).map(
    (row) => row.id,
  );

/**
 * What a shop does with a manual-capture order once its checkout is over: ship it (the
 * first parcel captures), release one unit before shipping the rest (the capture takes that much
 * less), cancel it (the void), or leave it alone until the expiry policy cancels it and voids.
 */
export const SHOP_DECISIONS = ["fulfill", "release", "cancel", "expire"] as const;
export type ShopDecision = (typeof SHOP_DECISIONS)[number];

export interface ShopOutcome {
  decision: ShopDecision;
  /** The authorised order the shop found (none when the checkout ended without one). */
  orderId: string | null;
  /**
   * Where its payment ended: the order's payment status after quiescence (`captured`, `voided`), `expired` (the
   * policy cancelled and voided it), or `no order`.
   */
  ended: string;
  /** The shop's call failed: a defect, for a quiesced order that is paid and only authorised must take any of the four. */
  problem?: string;
}

const SHOP: Actor = { userId: "system:test-shop", origin: { requestId: "test-shop", ip: null } };

async function decide(
  purchase: Purchase,
  decision: ShopDecision,
  provider: PaymentProvider,
): Promise<ShopOutcome & { policyAt?: number }> {
  const ids = await checkoutIdsOf(purchase);
  const authorised = ids.length
    ? await db()
        .select()
        .from(orders)
        .where(and(inArray(orders.checkoutId, ids), eq(orders.paymentStatus, "authorized")))
        .all()
    : [];
  const [order] = authorised;
  if (!order) return { decision, orderId: null, ended: "no order" };
  const deps = { db: db(), env, payments: provider };
  try {
    if (decision === "expire")
      return {
        decision,
        orderId: order.id,
        ended: "authorized",
        policyAt: (order.authorizationExpiresAt ?? Date.now()) - ACT_BEFORE_EXPIRY_MS,
      };
    if (decision === "cancel")
      await transitionOrder(deps, {
        orderId: order.id,
        to: "cancelled",
        actor: SHOP.userId,
        reason: "the shop cancelled it before shipping",
      });
    if (decision === "release")
      await refundOrder(deps, {
        orderId: order.id,
        actor: SHOP,
        lines: [{ sku: purchase.sku, quantity: 1 }],
        reason: "one unit damaged in the warehouse",
        restock: false,
      });
    if (decision === "fulfill" || decision === "release")
      await fulfillOrder(deps, { orderId: order.id, actor: SHOP, carrier: "DHL", trackingNumber: newId("trk") });
    return { decision, orderId: order.id, ended: "decided" };
  } catch (error) {
    return {
      decision,
      orderId: order.id,
      ended: "authorized",
      problem: `the shop could not ${decision} order ${order.id}: ${String(error).slice(0, 300)}`,
    };
  }
}

/**
 * Finishes manual-capture purchases whose checkouts quiesced: every shop decision first (the
 * expiry policy's clock must not cancel an order the shop is about to ship), then the minute cron
 * (`settleDueOrderPayments`: captures and voids retried, the expiry policy) and every other
 * recovery job, with the clock past each left-alone order's policy moment, until nothing changes.
 * Purchases driven at once are finished together, for the cron acts on every due order.
 */
export async function finishManualPurchases(
  items: { purchase: Purchase; decision: ShopDecision }[],
  provider: PaymentProvider = paymentProviderFor(env, configOf(env)),
  rounds = 8,
): Promise<ShopOutcome[]> {
  const decided = await Promise.all(items.map(({ purchase, decision }) => decide(purchase, decision, provider)));
  const policyAt = Math.max(
    0,
    ...decided.flatMap((outcome) => (outcome.policyAt === undefined ? [] : [outcome.policyAt])),
  );
  let previous = "";
  for (let round = 0; round < rounds; round++) {
    const now = nextRoundClock(policyAt);
    await settleDueOrderPayments({ db: db(), env, payments: provider }, now);
    for (const { purchase } of items) await recoveryJobs(purchase, provider, now);
    const fingerprint = JSON.stringify(await Promise.all(items.map(({ purchase }) => fingerprintOf(purchase))));
    if (fingerprint === previous) break;
    previous = fingerprint;
  }
  return Promise.all(
    decided.map(async ({ policyAt: _policyAt, ...outcome }) => {
      if (!outcome.orderId) return outcome;
      const order = await db()
        .select({ status: orders.status, paymentStatus: orders.paymentStatus })
        .from(orders)
        .where(eq(orders.id, outcome.orderId))
        .get();
      const ended =
        outcome.decision === "expire" && order?.status === "cancelled" && order.paymentStatus === "voided"
          ? "expired"
          : (order?.paymentStatus ?? "gone");
      return { ...outcome, ended };
    }),
  );
}

export interface MoneyState {
  checkoutStates: string[];
  /** `released`: what the order released before its capture (order_refunds of kind `release`): never taken, never owed. */
  orders: {
    id: string;
    status: string;
    total: number;
    released: number;
    paymentId: string | null;
    paymentStatus: string | null;
  }[];
  /** Money taken: an automatic charge's amount, a manual payment's capture (a voided authorisation took none). */
  charges: { id: string; amount: number; refunded: number; orderId: string | null }[];
  /** Refunds the provider made for these charges. */
  refunds: number;
  /** Payments still waiting for the buyer after quiescence (each one a hold nobody decides). */
  unresolvedActions: number;
  /**
   * Manual-capture payments the provider authorised, and how many of them were captured and voided (a run that did
   * neither proves nothing).
   */
  authorisations: { authorised: number; captured: number; voided: number };
  /** I7: authorisations that did not end captured into their order or voided (still held, or their order's books still unsettled). */
  authorisationsLeft: number;
  /**
   * I8: payments that took more than was authorised, more than their order may take (total less releases), or
   * anything for no order or a voided one.
   */
  overCaptured: number;
  /** What I7 and I8 found, one line per payment. */
  authorisationFindings: string[];
  onHand: number | undefined;
  lockReserved: number;
  mirrorReserved: number | undefined;
}

type PaymentRow = typeof testProviderCharges.$inferSelect;
type OrderRow = typeof orders.$inferSelect;

/**
 * I7 and I8 over a purchase's manual-capture payments (the test provider's rows): every
 * authorisation ends captured into one order or voided, and no capture takes more than it may.
 */
function authorisationFindings(
  rows: PaymentRow[],
  orderRows: OrderRow[],
  released: Map<string, number>,
): { left: string[]; over: string[] } {
  const left: string[] = [];
  const over: string[] = [];
  for (const payment of rows) {
    const keepers = orderRows.filter((order) => order.paymentId === payment.id);
    const order = keepers[0];
    const books = order ? `order ${order.id} ${order.status}, payment ${order.paymentStatus ?? "null"}` : "no order";
    // I7: the hold ended (captured or voided), and the order's books say the same
    if (payment.status === "authorized")
      left.push(`I7 authorisation ${payment.id} of ${payment.amount} still held after quiescence (${books})`);
    else if (
      order &&
      (order.paymentStatus === "authorized" || order.paymentStatus === "capturing" || order.paymentStatus === "voiding")
    )
      left.push(`I7 ${books} after quiescence, though the provider's payment ${payment.id} is ${payment.status}`);
    else if (order?.paymentStatus === "captured" && payment.capturedAt === null)
      left.push(`I7 ${books}, but the provider's payment ${payment.id} is ${payment.status} and was never captured`);
    // I8: what was taken, against what may be
    const taken = payment.amountCaptured ?? (payment.capturedAt !== null ? payment.amount : null);
    if (taken === null) continue;
    const reasons: string[] = [];
    if (taken > payment.amount) reasons.push(`more than the ${payment.amount} authorised`);
    if (payment.voidedAt !== null) reasons.push("and voided as well");
    if (!order) reasons.push("for no order");
    else {
      const mayTake = order.total - (released.get(order.id) ?? 0);
      if (taken > mayTake)
        reasons.push(
          `more than order ${order.id} may take (${order.total} less ${released.get(order.id) ?? 0} released = ${mayTake})`,
        );
      if (order.paymentStatus === "voided" || order.paymentStatus === "voiding")
        reasons.push(`while order ${order.id} says its authorisation was ${order.paymentStatus}`);
      if (order.paymentStatus === "captured" && order.amountCaptured !== null && taken > order.amountCaptured)
        reasons.push(`more than the ${order.amountCaptured} order ${order.id} recorded`);
    }
    if (reasons.length > 0) over.push(`I8 payment ${payment.id} captured ${taken} ${reasons.join(", ")}`);
  }
  return { left, over };
}

export async function moneyState(purchase: Purchase): Promise<MoneyState> {
  // the end of a hold reaches the D1 mirror with the lock's alarm, within a second: let it run now
  await settleMirror(purchase.sku);
  const rows = await db().select().from(checkouts).where(eq(checkouts.cartId, purchase.cartId)).all();
  const ids = rows.map((row) => row.id);
  const [orderRows, chargeRows, stock] = await Promise.all([
    ids.length ? db().select().from(orders).where(inArray(orders.checkoutId, ids)).all() : [],
    ids.length ? db().select().from(testProviderCharges).where(inArray(testProviderCharges.checkoutId, ids)).all() : [],
    db().select().from(inventory).where(eq(inventory.sku, purchase.sku)).get(),
  ]);
  const chargeIds = chargeRows.map((charge) => charge.id);
  const orderIds = orderRows.map((order) => order.id);
  const [refunds, releases] = await Promise.all([
    chargeIds.length
      ? db()
          .select({ id: testProviderRefunds.id })
          .from(testProviderRefunds)
          .where(inArray(testProviderRefunds.paymentId, chargeIds))
          .all()
      : [],
    orderIds.length
      ? db()
          .select({ orderId: orderRefunds.orderId, amount: orderRefunds.amount })
          .from(orderRefunds)
          .where(and(inArray(orderRefunds.orderId, orderIds), eq(orderRefunds.kind, "release")))
          .all()
      : [],
  ]);
  const released = new Map<string, number>();
  for (const release of releases) released.set(release.orderId, (released.get(release.orderId) ?? 0) + release.amount);
  // a manual payment the provider authorised (declined, cancelled or still waiting: never held)
  const manual = chargeRows.filter(
    (charge) =>
      charge.captureMethod === "manual" && ["authorized", "succeeded", "refunded", "voided"].includes(charge.status),
  );
  const findings = authorisationFindings(manual, orderRows, released);
  return {
    refunds: refunds.length,
    checkoutStates: rows.map(
      (row) => row.state + (row.state === "completed" && row.stockCommittedAt === null ? "(uncommitted)" : ""),
    ),
    orders: orderRows.map((order) => ({
      id: order.id,
      status: order.status,
      total: order.total,
      released: released.get(order.id) ?? 0,
      paymentId: order.paymentId,
      paymentStatus: order.paymentStatus,
    })),
    // captured money only: a payment declined, cancelled, still waiting for the buyer, only authorised or voided took
    // none; a manual one took its capture
    charges: chargeRows
      .filter((charge) => charge.status === "succeeded" || charge.status === "refunded")
      .map((charge) => ({
        id: charge.id,
        amount: charge.amountCaptured ?? charge.amount,
        refunded: charge.amountRefunded,
        orderId: charge.orderId,
      })),
    unresolvedActions: chargeRows.filter((charge) => charge.status === "requires_action").length,
    authorisations: {
      authorised: manual.length,
      captured: manual.filter((charge) => charge.capturedAt !== null).length,
      voided: manual.filter((charge) => charge.status === "voided").length,
    },
    authorisationsLeft: findings.left.length,
    overCaptured: findings.over.length,
    authorisationFindings: [...findings.left, ...findings.over],
    onHand: stock?.onHand,
    lockReserved: (await stockLockFor(env, purchase.sku).snapshot(purchase.sku)).reserved,
    mirrorReserved: stock?.reserved,
  };
}

/** I1–I3 and I6–I8 over one cart's purchase, as plain facts (empty = all hold). */
export function invariantViolations(
  purchase: Purchase,
  state: MoneyState,
  expectedOnHandWithoutOrder = purchase.onHand,
): string[] {
  const problems: string[] = [];
  const kept = state.orders.filter((order) => order.status !== "cancelled" && order.status !== "refunded");
  // I1: every charge is kept by exactly one order, or fully refunded
  for (const charge of state.charges) {
    const keepers = kept.filter((order) => order.paymentId === charge.id);
    if (keepers.length === 0 && charge.refunded !== charge.amount)
      problems.push(
        `I1 orphan charge ${charge.id}: ${charge.amount} charged, ${charge.refunded} refunded, no order keeps it`,
      );
    if (keepers.length > 1) problems.push(`I1 charge ${charge.id} kept by ${keepers.length} orders`);
  }
  // I2: at most one order and one net charge per cart
  if (state.orders.length > 1) problems.push(`I2 ${state.orders.length} orders for one cart`);
  const net = state.charges.reduce((sum, charge) => sum + charge.amount - charge.refunded, 0);
  // what was released before a capture was never taken, and is not owed
  const owed = kept.reduce((sum, order) => sum + order.total - order.released, 0);
  if (net !== owed) problems.push(`I2 net charged ${net}, but the kept order totals ${owed}`);
  // I3: no hold outlives its checkout; stock matches what was sold
  if (state.lockReserved !== 0 || state.mirrorReserved !== 0)
    problems.push(`I3 ${state.lockReserved} held by the lock, ${state.mirrorReserved} mirrored, after quiescence`);
  const sold = state.orders.some((order) => order.status !== "cancelled") ? purchase.quantity : 0;
  if (state.onHand !== expectedOnHandWithoutOrder - sold)
    problems.push(`on hand ${state.onHand}, expected ${expectedOnHandWithoutOrder - sold}`);
  if (state.checkoutStates.some((value) => value !== "completed" && value !== "compensated"))
    problems.push(`checkouts not final: ${state.checkoutStates.join(", ")}`);
  // I6: no payment is left waiting for the buyer past its window
  if (state.unresolvedActions > 0)
    problems.push(`I6 ${state.unresolvedActions} payment(s) still wait for the buyer after quiescence`);
  // I7: every authorisation ends captured into one order, or voided; I8: no capture takes more than it may
  problems.push(...state.authorisationFindings);
  return problems;
}
