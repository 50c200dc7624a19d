/** Rows → the staff shapes of one order (money as { amount, currency }, times as ISO strings). */
import type { Currency } from "../../platform/money";
import type { AdminOrderView, FulfillmentView, RefundView } from "./order-admin.schemas";
import type { OrderFulfillmentRow } from "./order-fulfillments.repository";
import type { OrderRefundRow } from "./order-refunds.repository";
import type { OrderRecord } from "./orders.repository";
import { toOrderView } from "./orders.views";
import { unitsBySku } from "./order-units";

const iso = (at: number) => new Date(at).toISOString();

export function toRefundView(refund: OrderRefundRow): RefundView {
  return {
    id: refund.id,
    orderId: refund.orderId,
    amount: { amount: refund.amount, currency: refund.currency as Currency },
    status: refund.status,
    kind: refund.kind,
    reason: refund.reason,
    lines: refund.lines ?? [],
    restock: refund.restock,
    providerRefundId: refund.providerRefundId,
    actor: refund.actor,
    createdAt: iso(refund.createdAt),
  };
}

export function toFulfillmentView(fulfillment: OrderFulfillmentRow): FulfillmentView {
  return {
    id: fulfillment.id,
    orderId: fulfillment.orderId,
    carrier: fulfillment.carrier,
    trackingNumber: fulfillment.trackingNumber,
    trackingUrl: fulfillment.trackingUrl,
    lines: fulfillment.lines,
    actor: fulfillment.actor,
    createdAt: iso(fulfillment.createdAt),
  };
}

export function toAdminOrderView({ order, lines, refunds, fulfillments, transitions }: OrderRecord): AdminOrderView {
  const currency = order.currency as Currency;
  const money = (amount: number) => ({ amount, currency });
  const refunded = unitsBySku(refunds);
  const shipped = unitsBySku(fulfillments);
  const sum = (status: OrderRefundRow["status"], kind: OrderRefundRow["kind"] = "refund") =>
    refunds
      .filter((refund) => refund.status === status && refund.kind === kind)
      .reduce((total, refund) => total + refund.amount, 0);
  const base = toOrderView(order, lines);
  return {
    ...base,
    lines: base.lines.map((line, index) => {
      const row = lines[index];
      return {
        ...line,
        discount: row?.discount == null ? null : money(row.discount),
        tax: row?.tax == null ? null : money(row.tax),
        refundedQuantity: refunded.get(line.sku) ?? 0,
        shippedQuantity: shipped.get(line.sku) ?? 0,
      };
    }),
    payments:
      order.paymentId && order.paymentProvider
        ? [
            {
              provider: order.paymentProvider,
              paymentId: order.paymentId,
              ...captureOf(order, sum("succeeded", "release")),
              refunded: money(sum("succeeded")),
              refundPending: money(sum("pending")),
            },
          ]
        : [],
    refunds: refunds.map(toRefundView),
    fulfillments: fulfillments.map(toFulfillmentView),
    timeline: transitions.map((transition) => ({
      at: iso(transition.at),
      from: transition.fromStatus,
      to: transition.toStatus,
      actor: transition.actor,
      reason: transition.reason,
    })),
  };
}

/**
 * The authorisation's amounts: authorised = captured + voided (+ what a capture in flight takes).
 * An automatic capture took the total at checkout.
 */
function captureOf(order: OrderRecord["order"], released: number) {
  const money = (amount: number) => ({ amount, currency: order.currency as Currency });
  const status = order.paymentStatus ?? "captured";
  const pending = status === "authorized" || status === "capturing" || status === "voiding";
  return {
    captureMethod: order.captureMethod,
    status,
    authorized: money(order.total),
    captured: money(status === "captured" ? (order.amountCaptured ?? order.total) : 0),
    voided: money(status === "voided" ? order.total : released),
    authorizationExpiresAt: pending && order.authorizationExpiresAt ? iso(order.authorizationExpiresAt) : null,
    lastError: order.paymentLastError,
  };
}
