/** Rows → the public Order shape (money as { amount, currency }, times as ISO strings). */
import type { AddressSnapshot } from "../../db/schema";
import type { Currency } from "../../platform/money";
import type { AddressInput } from "../customers/address.schemas";
import type { OrderLineRow, OrderRow } from "./orders.repository";
import type { OrderView } from "./orders.schemas";

/** The stored snapshot as the Address shape (a snapshot is what the cart held, already validated). */
function addressView(snapshot: AddressSnapshot | null): AddressInput | null {
  return snapshot ? (snapshot as AddressInput) : null;
}

export function toOrderView(
  order: OrderRow,
  lines: Pick<OrderLineRow, "sku" | "title" | "quantity" | "unitPrice" | "total">[],
): OrderView {
  const currency = order.currency as Currency;
  const money = (amount: number) => ({ amount, currency });
  return {
    id: order.id,
    status: order.status,
    email: order.email,
    currency: order.currency,
    lines: lines.map((line) => ({
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice),
      total: money(line.total),
    })),
    subtotal: money(order.subtotal),
    discount: money(order.discount),
    discountCode: order.discountCode,
    shipping: money(order.shipping),
    tax: { ...money(order.tax), inclusive: order.taxInclusive },
    total: money(order.total),
    shippingAddress: addressView(order.shippingAddress),
    billingAddress: addressView(order.billingAddress),
    paymentId: order.paymentId,
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
  };
}

/** Groups lines by order for a page of orders (one query for all lines, not one per order). */
export function toOrderViews(rows: OrderRow[], lines: OrderLineRow[]): Map<string, OrderView> {
  const byOrder = new Map<string, OrderLineRow[]>();
  for (const line of lines) byOrder.set(line.orderId, [...(byOrder.get(line.orderId) ?? []), line]);
  return new Map(rows.map((row) => [row.id, toOrderView(row, byOrder.get(row.id) ?? [])]));
}
