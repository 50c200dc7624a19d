/**
 * A staff refund of some lines, an amount, or everything left (POST /v1/admin/orders/{id}/refunds),
 * on the money-safety rule I4: decide from one read (refund-amounts.ts), commit the decision as a
 * PENDING row in one batch guarded by a compare-and-set on the order, and only then ask the provider
 * under the row's own key (the minute cron retries under the same key). docs/checkout.md, "Staff
 * view, fulfillments and refunds".
 */
import type { LineQuantity, OrderStatus } from "../../db/schema";
import { ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { auditInsert, type Actor } from "../audit/audit.service";
import { newEvent, outboxInsert } from "../jobs/outbox";
import { toRefundView } from "./order-admin.views";
import type { RefundView } from "./order-admin.schemas";
import {
  decidedRefundStatement,
  decidedReleaseStatement,
  findRefund,
  type NewOrderRefund,
} from "./order-refunds.repository";
import { settleOrderPayment, voidStatement } from "./order-payment";
import { settleRefund } from "./settle-refund";
import { TRANSITION_EVENTS } from "./order-state";
import * as repository from "./orders.repository";
import { assertNotCapturing, tellStockLocks, type OrdersDeps } from "./orders.service";
import { unitsToShip, withTitles } from "./order-units";
import { planRefund, refundedAmount, type RefundPlan } from "./refund-amounts";

/** Money can go back once it was taken and until it all went back. */
const REFUNDABLE: ReadonlySet<OrderStatus> = new Set([
  "paid",
  "fulfilled",
  "partially_shipped",
  "shipped",
  "delivered",
]);

export interface RefundRequest {
  orderId: string;
  actor: Actor;
  lines?: LineQuantity[];
  amount?: number;
  reason: string;
  restock: boolean;
  /** Derived from the request's Idempotency-Key when it has one: a retry finds the refund it made. */
  requestKey?: string;
}

export async function refundOrder(deps: OrdersDeps, request: RefundRequest): Promise<RefundView> {
  const { db } = deps;
  const record = await repository.loadOrderRecord(db, request.orderId);
  if (!record) throw new NotFoundError({ detail: `Order ${request.orderId} not found` });
  const { order, lines, refunds } = record;
  const providerKey = `${order.id}:refund:${request.requestKey ?? newId("k")}`;
  const earlier = refunds.find((refund) => refund.providerKey === providerKey);
  if (earlier) return settleAndShow(deps, earlier.id);

  if (!REFUNDABLE.has(order.status))
    throw new ConflictError({
      detail: `An order that is ${order.status} cannot be refunded`,
      extensions: { status: order.status },
    });
  if (!order.paymentId)
    throw new UnprocessableError({
      detail: "Nothing was charged for this order (a free order): there is nothing to refund",
    });
  assertNotCapturing(order);
  // before the capture, nothing was taken: the refund lowers what the capture will take (a release)
  const release = order.paymentStatus === "authorized";
  const plan = planRefund(order, lines, refunds, request);
  if (request.restock && plan.lines.length === 0)
    throw new UnprocessableError({
      detail: "Nothing to restock: name the lines to put back",
      errors: [{ path: "restock", message: "needs lines" }],
    });

  const at = Date.now();
  const refund: NewOrderRefund = {
    id: newId("rfd"),
    orderId: order.id,
    paymentId: order.paymentId,
    amount: plan.amount,
    currency: order.currency,
    reason: request.reason,
    lines: plan.lines,
    restock: request.restock,
    providerKey,
    actor: request.actor.userId,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
  const to = statusAfter(record, plan);
  // everything released: nothing is left to capture, so the authorisation is voided
  const voids = release && to === "refunded";
  const issued = newEvent("order.refund_issued", {
    orderId: order.id,
    userId: order.userId,
    email: order.email,
    refundId: refund.id,
    currency: order.currency,
    amount: plan.amount,
    reason: request.reason,
    lines: withTitles(plan.lines, lines),
  });
  try {
    await db.batch([
      (release ? decidedReleaseStatement : decidedRefundStatement)(db, refund, repository.readOf(record)),
      outboxInsert(db, issued),
      auditInsert(db, request.actor.origin, {
        action: "order.refund",
        actorId: request.actor.userId,
        subject: order.id,
        details: {
          refundId: refund.id,
          amount: plan.amount,
          currency: order.currency,
          lines: plan.lines,
          restock: request.restock,
        },
      }),
      ...(request.restock ? repository.restockStatements(db, plan.lines, at) : []),
      // the refund row above already checked the order is as read: this move's guard is its status
      ...(to === order.status
        ? []
        : repository.transitionStatements(db, {
            orderId: order.id,
            from: order.status,
            to,
            actor: request.actor.userId,
            reason: request.reason,
            at,
            event: newEvent(TRANSITION_EVENTS[to], {
              orderId: order.id,
              userId: order.userId,
              email: order.email,
              from: order.status,
              status: to,
              currency: order.currency,
              total: order.total,
              reason: request.reason,
              // shipped by refunding what was left: no parcel, so no "on its way" email (email.consumers.ts)
              ...(to === "shipped" ? { lines: [] } : {}),
            }),
          })),
      ...(voids ? [voidStatement(db, order.id, at)] : []),
    ]);
  } catch (error) {
    if (!(await repository.changedSince(db, repository.readOf(record)))) throw error;
    throw new ConflictError({
      detail: "The order changed meanwhile (a refund, a parcel or a status change); reload it and decide again",
      headers: { "Retry-After": "1" },
    });
  }
  if (voids && deps.payments) await settleOrderPayment(db, deps.payments, { ...order, paymentStatus: "voiding" }, at);
  const answer = await settleAndShow(deps, refund.id);
  if (request.restock)
    await tellStockLocks(
      deps,
      plan.lines.map((line) => line.sku),
    );
  return answer;
}

/**
 * The status a refund leaves: `refunded` once nothing captured is left; `shipped` when a partly
 * shipped order's units still to ship are all refunded now; otherwise unchanged.
 */
function statusAfter(record: repository.OrderRecord, plan: RefundPlan): OrderStatus {
  const { order, lines, refunds, fulfillments } = record;
  if (refundedAmount(refunds) + plan.amount === order.total) return "refunded";
  if (order.status === "partially_shipped" && unitsToShip(lines, fulfillments, [...refunds, plan]).length === 0)
    return "shipped";
  return order.status;
}

/** Sends a decided refund to the provider if it is still pending; answers it as it now stands. */
async function settleAndShow(deps: OrdersDeps, refundId: string): Promise<RefundView> {
  const pending = await findRefund(deps.db, refundId);
  if (!pending) throw new Error(`refund ${refundId} vanished after its batch`);
  if (pending.status === "pending" && deps.payments) await settleRefund(deps.db, deps.payments, pending, Date.now());
  const now = await findRefund(deps.db, refundId);
  return toRefundView(now ?? pending);
}
