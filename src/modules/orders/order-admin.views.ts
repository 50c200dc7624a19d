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
    id: refund.id, orderId: refund.orderId, amount: { amount: refund.amount, currency: refund.currency as Currency }, status: refund.status, reason: refund.reason,
    lines: refund.lines ?? [], restock: refund.restock, providerRefundId: refund.providerRefundId, actor: refund.actor, createdAt: iso(refund.createdAt),
  };
}

export function toFulfillmentView(fulfillment: OrderFulfillmentRow): FulfillmentView {
  return {
    id: fulfillment.id, orderId: fulfillment.orderId, carrier: fulfillment.carrier, trackingNumber: fulfillment.trackingNumber,
    trackingUrl: fulfillment.trackingUrl, lines: fulfillment.lines, actor: fulfillment.actor, createdAt: iso(fulfillment.createdAt),
  };
}

export function toAdminOrderView({ order, lines, refunds, fulfillments, transitions }: OrderRecord): AdminOrderView {
  const currency = order.currency as Currency;
  const money = (amount: number) => ({ amount, currency });
  const refunded = unitsBySku(refunds);
  const shipped = unitsBySku(fulfillments);
  const sum = (status: OrderRefundRow["status"]) => refunds.filter((refund) => refund.status === status).reduce((total, refund) => total + refund.amount, 0);
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
    payments: order.paymentId && order.paymentProvider
      ? [{ provider: order.paymentProvider, paymentId: order.paymentId, captured: money(order.total), refunded: money(sum("succeeded")), refundPending: money(sum("pending")) }]
      : [],
    refunds: refunds.map(toRefundView),
    fulfillments: fulfillments.map(toFulfillmentView),
    timeline: transitions.map((transition) => ({ at: iso(transition.at), from: transition.fromStatus, to: transition.toStatus, actor: transition.actor, reason: transition.reason })),
  };
}
