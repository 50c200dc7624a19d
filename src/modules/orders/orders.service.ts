/**
 * Order rules (no HTTP): who may see an order, the lists, and every status change — which goes
 * through the state machine, decides a refund when money must go back (written pending, sent to
 * the provider after the batch), returns stock when nothing left the warehouse, and commits the new
 * status, its transition row, the restock, the refund decision and its outbox event in ONE batch.
 */
import type { Database } from "../../db/client";
import type { OrderStatus } from "../../db/schema";
import type { Env } from "../../env";
import type { Caller } from "../../platform/context";
import { ConflictError, ForbiddenError, NotFoundError } from "../../platform/errors";
import { decodeCursor, toPage } from "../../platform/pagination";
import type { ServerTimings } from "../../platform/timing";
import { can } from "../identity/permissions";
import { refreshOnHand } from "../inventory/inventory.service";
import { log } from "../../platform/observability/log";
import { newEvent } from "../jobs/outbox";
import { newId } from "../../platform/ids";
import { unitsBySku } from "./order-units";
import {
  findRefund,
  pendingRefundStatement,
  settledRefundStatement,
  type NewOrderRefund,
  type OrderRefundRow,
} from "./order-refunds.repository";
import { settleRefund } from "./settle-refund";
import type { PaymentProvider } from "../payments/payment-provider";
import { assertTransition, refundsPayment, returnsStock, TRANSITION_EVENTS } from "./order-state";
import {
  capturableAmount,
  capturingOrder,
  captureStatement,
  settleOrderPayment,
  SHIPPING_STATUSES,
  voidStatement,
} from "./order-payment";
import * as repository from "./orders.repository";
import { orderCursorSchema, type AdminOrderListQuery, type OrderView } from "./orders.schemas";
import { toOrderView, toOrderViews } from "./orders.views";
import type { AdminOrderView } from "./order-admin.schemas";
import { toAdminOrderView } from "./order-admin.views";

export interface OrdersDeps {
  db: Database;
  env: Pick<Env, "STOCK_LOCK">;
  /** Absent when the caller only records money that already moved at the provider (a webhook). */
  payments?: PaymentProvider;
  timings?: ServerTimings;
}

/** Owner or staff with orders:read see an order; for anyone else it does not exist (404, not 403). */
function visibleTo(order: repository.OrderRow, caller: Caller | undefined): boolean {
  if (!caller) return false;
  return order.userId === caller.userId || can(caller.role, "orders:read");
}

async function loadVisible(db: Database, caller: Caller | undefined, orderId: string): Promise<repository.OrderRow> {
  const order = await repository.findOrder(db, orderId);
  if (!order || !visibleTo(order, caller)) throw new NotFoundError({ detail: `Order ${orderId} not found` });
  return order;
}

/** Everything staff need about one order, in one D1 round trip whatever its size. */
export async function getAdminOrder(db: Database, orderId: string): Promise<AdminOrderView> {
  const record = await repository.loadOrderRecord(db, orderId);
  if (!record) throw new NotFoundError({ detail: `Order ${orderId} not found` });
  return toAdminOrderView(record);
}

export async function getOrder(db: Database, caller: Caller | undefined, orderId: string): Promise<OrderView> {
  const order = await loadVisible(db, caller, orderId);
  return toOrderView(order, await repository.findLines(db, [order.id]));
}

async function listPage(db: Database, filter: repository.OrderFilter, query: { limit: number; cursor?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor, orderCursorSchema) : undefined;
  const rows = await repository.listOrders(db, { ...filter, after, limit: query.limit });
  const page = rows.slice(0, query.limit);
  const views = toOrderViews(
    page,
    await repository.findLines(
      db,
      page.map((row) => row.id),
    ),
  );
  return toPage(
    rows,
    query.limit,
    (row) => views.get(row.id) as OrderView,
    (row) => ({ t: row.createdAt, id: row.id }),
  );
}

export function listMyOrders(db: Database, caller: Caller, query: { limit: number; cursor?: string }) {
  return listPage(db, { userId: caller.userId }, query);
}

export function listAllOrders(db: Database, query: AdminOrderListQuery) {
  const instant = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));
  return listPage(
    db,
    { status: query.status, userId: query.customerId, from: instant(query.from), to: instant(query.to) },
    query,
  );
}

export interface TransitionRequest {
  orderId: string;
  to: OrderStatus;
  /** A user id or `system:<what>`. */
  actor: string;
  reason?: string;
  /** Set by callers that tolerate a move that already happened (webhook redelivery): no 409 then. */
  idempotent?: boolean;
  /**
   * The provider already returned the money (its webhook says so): record, never refund again. The
   * refund is recorded as a succeeded row only when the event names the provider's refund; without
   * its id Motor invents no refund row (the transition row names the event).
   */
  refundedAtProvider?: { refundId: string | null };
}

/**
 * The refund a move decides, if any: the whole amount still unrefunded. Pending (the provider is
 * called after the batch) unless the provider already moved the money (its webhook said so).
 */
function refundFor(
  order: repository.OrderRow,
  refunds: OrderRefundRow[],
  request: TransitionRequest,
  at: number,
): NewOrderRefund | undefined {
  // an authorisation never taken is voided, not refunded (order-payment.ts)
  if (!refundsPayment(order.status, request.to) || order.paymentStatus === "authorized") return undefined;
  const amount = order.total - refunds.reduce((sum, refund) => sum + refund.amount, 0);
  if (amount <= 0) return undefined;
  const external = request.refundedAtProvider;
  if (external && !external.refundId) return undefined;
  return {
    id: newId("rfd"),
    orderId: order.id,
    paymentId: order.paymentId,
    amount,
    currency: order.currency,
    reason: request.reason ?? `order ${request.to}`,
    lines: null,
    restock: returnsStock(order.status, request.to),
    providerKey: external ? `external:${order.id}` : `${order.id}:refund`,
    providerRefundId: external?.refundId ?? null,
    actor: request.actor,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Moves an order along the state machine with its side effects; answers the order as it now is.
 * The move, its transition row, the restock, its event and the refund it decides are ONE guarded
 * batch; only after it committed is the provider asked for the money. A move that loses a race
 * (say, a cancel against a fulfillment) therefore never refunds anything (I4, docs/checkout.md).
 */
export async function transitionOrder(deps: OrdersDeps, request: TransitionRequest): Promise<OrderView> {
  const { db } = deps;
  const record = await repository.loadOrderRecord(db, request.orderId);
  if (!record) throw new NotFoundError({ detail: `Order ${request.orderId} not found` });
  const { order, lines, refunds } = record;
  if (request.idempotent && order.status === request.to) return toOrderView(order, lines);
  assertTransition(order.status, request.to);
  if (refundsPayment(order.status, request.to)) assertNotCapturing(order);

  const at = Date.now();
  // units a refund already put back are not put back twice
  const restocked = unitsBySku(refunds.filter((refund) => refund.restock));
  const restock = returnsStock(order.status, request.to)
    ? lines.map((line) => ({ sku: line.sku, quantity: line.quantity - (restocked.get(line.sku) ?? 0) }))
    : [];
  const refund = refundFor(order, refunds, request, at);
  const voids = refundsPayment(order.status, request.to) && order.paymentStatus === "authorized";
  // marked as on its way without a parcel ("Mark shipped"): the goods leave, so the money is taken, as at a first parcel
  const capture =
    order.paymentStatus === "authorized" && SHIPPING_STATUSES.has(request.to)
      ? capturableAmount(order, refunds)
      : undefined;
  const event = newEvent(TRANSITION_EVENTS[request.to], {
    orderId: order.id,
    userId: order.userId,
    email: order.email,
    from: order.status,
    status: request.to,
    currency: order.currency,
    total: order.total,
    refundAmount: refund?.amount ?? null,
    reason: request.reason ?? null,
  });
  try {
    await db.batch([
      ...repository.transitionStatements(db, {
        orderId: order.id,
        from: order.status,
        to: request.to,
        actor: request.actor,
        reason: request.reason,
        at,
        event,
        counts: {
          refunds: refunds.length,
          fulfillments: record.fulfillments.length,
          paymentStatus: order.paymentStatus,
        },
      }),
      ...repository.restockStatements(db, restock, at),
      ...(refund
        ? [request.refundedAtProvider ? settledRefundStatement(db, refund) : pendingRefundStatement(db, refund)]
        : []),
      ...(voids ? [voidStatement(db, order.id, at)] : []),
      ...(capture !== undefined ? [captureStatement(db, order.id, capture, at)] : []),
    ]);
  } catch (error) {
    // the guard failed: a move, a refund or a parcel landed between our read and our batch
    const now = await repository.changedSince(db, repository.readOf(record));
    if (!now) throw error;
    if (request.idempotent && now.order.status === request.to) return toOrderView(now.order, lines);
    throw new ConflictError({
      detail: `The order changed meanwhile (now ${now.order.status}); reload it and try again`,
      extensions: { status: now.order.status },
      headers: { "Retry-After": "1" },
    });
  }
  // the refund or void is decided and durable; a failure here leaves it due for its cron
  if (refund && !request.refundedAtProvider && deps.payments) {
    const pending = await findRefund(db, refund.id);
    if (pending) await settleRefund(db, deps.payments, pending, at);
  }
  if (voids && deps.payments) await settleOrderPayment(db, deps.payments, { ...order, paymentStatus: "voiding" }, at);
  if (capture !== undefined && deps.payments)
    await settleOrderPayment(db, deps.payments, capturingOrder(order, capture), at);
  await tellStockLocks(
    deps,
    restock.map((line) => line.sku),
  );
  return toOrderView({ ...order, status: request.to, updatedAt: at }, lines);
}

/**
 * A capture in flight (decided, not yet confirmed) fixes what is taken: money cannot be given back
 * or released against it until it lands (within a minute; then it is an ordinary refund).
 */
export function assertNotCapturing(order: repository.OrderRow): void {
  if (order.paymentStatus !== "capturing") return;
  throw new ConflictError({
    detail: "The payment is being captured; try again in a minute, when it can be refunded",
    extensions: { paymentStatus: "capturing" },
    headers: { "Retry-After": "60" },
  });
}

/**
 * The StockLock objects cache on-hand; tell them about units put back. The units are in D1 with
 * their ledger row either way; a lock that was not told sells fewer units than it could (never
 * more) until its next sync folds the row in. So a failure here is logged, never answered as a
 * 5xx for a change that already committed — a client would retry it.
 */
export async function tellStockLocks(deps: OrdersDeps, skus: string[]): Promise<void> {
  if (skus.length === 0) return;
  try {
    await refreshOnHand(deps.env, skus, deps.timings);
  } catch (error) {
    log.warn("stock locks not told about restocked units; the next sync folds them in", { skus, error: String(error) });
  }
}

/** The owner (or staff with orders:manage) cancels before fulfillment; others get 404 as for a read. */
export async function cancelOrder(
  deps: OrdersDeps,
  caller: Caller | undefined,
  orderId: string,
  reason?: string,
): Promise<OrderView> {
  const order = await loadVisible(deps.db, caller, orderId);
  const isOwner = caller !== undefined && order.userId === caller.userId;
  if (!isOwner && !(caller && can(caller.role, "orders:manage")))
    throw new ForbiddenError({ detail: "Requires the orders:manage permission" });
  return transitionOrder(deps, {
    orderId,
    to: "cancelled",
    actor: (caller as Caller).userId,
    reason: reason ?? (isOwner ? "cancelled by the customer" : "cancelled by staff"),
  });
}
