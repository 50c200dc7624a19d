/**
 * A parcel handed to a carrier (POST /v1/admin/orders/{id}/fulfillments): the fulfillment row, the move
 * to `shipped` or `partially_shipped` and the `order.shipped` event are one batch, guarded by a
 * compare-and-set on the status and the fulfillment count, so two parcels decided on one read cannot
 * ship the same units. With manual capture the first parcel also decides the capture (order-payment.ts).
 * docs/checkout.md, "Staff view, fulfillments and refunds".
 */
import type { LineQuantity, OrderStatus } from "../../db/schema";
import { ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { auditInsert, type Actor } from "../audit/audit.service";
import { newEvent, outboxInsert } from "../jobs/outbox";
import { fulfillmentStatement, type NewOrderFulfillment } from "./order-fulfillments.repository";
import { toFulfillmentView } from "./order-admin.views";
import type { FulfillmentView } from "./order-admin.schemas";
import { assertTransition } from "./order-state";
import * as repository from "./orders.repository";
import type { OrdersDeps } from "./orders.service";
import { unitsToShip, withTitles } from "./order-units";
import { capturableAmount, captureStatement, capturingOrder, settleOrderPayment } from "./order-payment";

/** Paid and not yet all shipped: a cancelled, refunded or pending order ships nothing. */
const SHIPPABLE: ReadonlySet<OrderStatus> = new Set(["paid", "fulfilled", "partially_shipped"]);

export interface FulfillRequest {
  orderId: string;
  actor: Actor;
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string;
  lines?: LineQuantity[];
  /** Derived from the request's Idempotency-Key when it has one: a retry finds the parcel it made. */
  requestKey?: string;
}

function parcelOf(open: LineQuantity[], wanted: LineQuantity[] | undefined): LineQuantity[] {
  if (!wanted) return open;
  wanted.forEach((line, index) => {
    const left = open.find((candidate) => candidate.sku === line.sku)?.quantity ?? 0;
    if (left === 0) {
      throw new UnprocessableError({
        detail: `SKU ${line.sku} has no unit left to ship in this order (not in it, or all shipped or refunded)`,
        errors: [{ path: `lines.${index}.sku`, message: "nothing left to ship" }],
      });
    }
    if (line.quantity > left)
      throw new UnprocessableError({
        detail: `Only ${left} unit(s) of ${line.sku} are left to ship`,
        errors: [{ path: `lines.${index}.quantity`, message: `at most ${left}` }],
      });
  });
  return wanted;
}

export async function fulfillOrder(
  deps: OrdersDeps,
  request: FulfillRequest,
): Promise<FulfillmentView & { orderStatus: OrderStatus }> {
  const { db } = deps;
  const record = await repository.loadOrderRecord(db, request.orderId);
  if (!record) throw new NotFoundError({ detail: `Order ${request.orderId} not found` });
  const { order, lines, fulfillments } = record;
  const requestKey = request.requestKey ? `${order.id}:${request.requestKey}` : null;
  const earlier = requestKey ? fulfillments.find((parcel) => parcel.requestKey === requestKey) : undefined;
  if (earlier) return { ...toFulfillmentView(earlier), orderStatus: order.status };
  if (!SHIPPABLE.has(order.status))
    throw new ConflictError({
      detail: `An order that is ${order.status} cannot be fulfilled`,
      extensions: { status: order.status },
    });
  const open = unitsToShip(lines, fulfillments, record.refunds);
  if (open.length === 0)
    throw new ConflictError({ detail: "Every unit of this order has already shipped or been refunded" });
  const parcel = parcelOf(open, request.lines);
  const left =
    open.reduce((sum, line) => sum + line.quantity, 0) - parcel.reduce((sum, line) => sum + line.quantity, 0);
  const to: OrderStatus = left === 0 ? "shipped" : "partially_shipped";
  if (to !== order.status) assertTransition(order.status, to);

  const at = Date.now();
  // the first parcel of an authorised order takes the money: the total less every refund decided before it
  const captures = order.paymentStatus === "authorized";
  const capture = capturableAmount(order, record.refunds);
  const fulfillment: NewOrderFulfillment = {
    id: newId("ful"),
    orderId: order.id,
    carrier: request.carrier,
    trackingNumber: request.trackingNumber,
    trackingUrl: request.trackingUrl ?? null,
    lines: parcel,
    actor: request.actor.userId,
    requestKey,
    createdAt: at,
  };
  const event = newEvent("order.shipped", {
    orderId: order.id,
    userId: order.userId,
    email: order.email,
    from: order.status,
    status: to,
    fulfillmentId: fulfillment.id,
    carrier: request.carrier,
    trackingNumber: request.trackingNumber,
    trackingUrl: request.trackingUrl ?? null,
    partial: to === "partially_shipped",
    lines: withTitles(parcel, lines),
  });
  try {
    await db.batch([
      fulfillmentStatement(db, fulfillment, repository.readOf(record)),
      // the parcel's guard above held the authorisation as read: this capture subtracts every refund
      ...(captures ? [captureStatement(db, order.id, capture, at)] : []),
      auditInsert(db, request.actor.origin, {
        // stored and filtered on as written (GET /v1/admin/audit?action=): not respelled
        action: "order.fulfil",
        actorId: request.actor.userId,
        subject: order.id,
        details: { fulfillmentId: fulfillment.id, carrier: request.carrier, lines: parcel, status: to },
      }),
      ...(to === order.status
        ? [outboxInsert(db, event)]
        : repository.transitionStatements(db, {
            orderId: order.id,
            from: order.status,
            to,
            actor: request.actor.userId,
            reason: `${request.carrier} ${request.trackingNumber}`,
            at,
            event,
          })),
    ]);
  } catch (error) {
    if (!(await repository.changedSince(db, repository.readOf(record)))) throw error;
    throw new ConflictError({
      detail: "The order changed meanwhile (a parcel, a refund or a status change); reload it and decide again",
      headers: { "Retry-After": "1" },
    });
  }
  if (captures && deps.payments) await settleOrderPayment(db, deps.payments, capturingOrder(order, capture), at);
  return { ...toFulfillmentView({ ...fulfillment, orderId: order.id }), orderStatus: to };
}
