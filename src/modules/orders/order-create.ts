/**
 * The statements that create an order at checkout, for the checkout's ONE batch. Two guards turn
 * a lost race into a failed (rolled back) batch instead of a wrong order:
 *   - the order's NOT NULL checkout_id is read from `checkouts` only while that checkout is
 *     `charged` — a checkout the sweep is compensating cannot also produce an order;
 *   - each line's NOT NULL sku is read from `inventory` only while on_hand covers its quantity,
 *     and the decrement follows in the same transaction — on_hand can never go negative; the
 *     decrement comes with a `stock_sales` row keyed by (checkout id, sku), so it happens once.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { isNotNullViolation } from "../../db/errors";
import { checkouts, inventory, orderLines, orders, orderTransitions, type AddressSnapshot } from "../../db/schema";
import { newId } from "../../platform/ids";
import { newEvent, outboxInsert } from "../jobs/outbox";
import { saleStatements } from "../inventory/inventory.repository";
import type { CaptureMethod } from "../payments/payment-provider";
import { authorisationColumns } from "./order-payment";

export interface NewOrder {
  id: string;
  checkoutId: string;
  userId: string | null;
  email: string;
  currency: string;
  subtotal: number;
  discount: number;
  discountCode: string | null;
  shipping: number;
  tax: number;
  taxInclusive: boolean;
  total: number;
  shippingAddress: AddressSnapshot | null;
  /** Optional: checkouts snapshotted before billing addresses existed carry none. */
  billingAddress?: AddressSnapshot | null;
  /** Both null for a free order (a zero total: nothing was charged). */
  paymentProvider: string | null;
  paymentId: string | null;
  /** `manual`: the payment is only authorised; the order carries the authorisation's life (order-payment.ts). */
  captureMethod: CaptureMethod;
  /** No later than when the authorisation was made: its expiry counts from here (early, never late). */
  authorizedSince: number;
  /** `discount` (the line's share) and `tax` (its own rounded tax) are absent in checkouts snapshotted before they were kept. */
  lines: {
    sku: string;
    title: string;
    quantity: number;
    unitPrice: number;
    total: number;
    discount?: number;
    tax?: number;
  }[];
  at: number;
}

/** The batch failed because a line's stock guard (its NULL sku) refused it. */
export const isStockGuardError = (error: unknown) => isNotNullViolation(error, "order_lines.sku");

/** A manual-capture order that was charged starts `authorized`, its expiry watched; every other order has no authorisation. */
function authorisationOf(order: NewOrder) {
  const authorised = order.captureMethod === "manual" && order.paymentId !== null;
  return { captureMethod: order.captureMethod, ...(authorised ? authorisationColumns(order.authorizedSince) : {}) };
}

export function createOrderStatements(db: Database, order: NewOrder) {
  const { lines, at } = order;
  const guardedCheckout = sql`(select ${checkouts.id} from ${checkouts}
    where ${checkouts.id} = ${order.checkoutId} and ${checkouts.state} = 'charged')`;
  const eventLines = lines.map(({ sku, title, quantity, unitPrice, total }) => ({
    sku,
    title,
    quantity,
    unitPrice,
    total,
  }));
  const billingAddress = order.billingAddress ?? null;
  const created = newEvent("order.created", {
    orderId: order.id,
    userId: order.userId,
    email: order.email,
    currency: order.currency,
    total: order.total,
    lines: eventLines,
    shippingAddress: order.shippingAddress,
    billingAddress,
  });
  const paid = newEvent("order.paid", {
    orderId: order.id,
    userId: order.userId,
    email: order.email,
    from: "pending",
    status: "paid",
    currency: order.currency,
    total: order.total,
    paymentId: order.paymentId,
  });
  return [
    db.insert(orders).values({
      id: order.id,
      userId: order.userId,
      email: order.email,
      currency: order.currency,
      subtotal: order.subtotal,
      discount: order.discount,
      discountCode: order.discountCode,
      shipping: order.shipping,
      tax: order.tax,
      taxInclusive: order.taxInclusive,
      total: order.total,
      shippingAddress: order.shippingAddress,
      billingAddress,
      status: "paid",
      paymentProvider: order.paymentProvider,
      paymentId: order.paymentId,
      checkoutId: guardedCheckout,
      createdAt: at,
      updatedAt: at,
      ...authorisationOf(order),
    }),
    ...lines.flatMap((line) => [
      db.insert(orderLines).values({
        orderId: order.id,
        title: line.title,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        total: line.total,
        discount: line.discount ?? null,
        tax: line.tax ?? null,
        sku: sql`(select ${inventory.sku} from ${inventory}
          where ${inventory.sku} = ${line.sku} and ${inventory.onHand} >= ${line.quantity})`,
      }),
      // keyed by the reservation (= checkout) id: a second decrement for it fails the batch
      ...saleStatements(db, order.checkoutId, line.sku, line.quantity, at),
    ]),
    // the charge succeeded before the order existed, so it is born pending and paid at once
    db.insert(orderTransitions).values({
      id: newId("otr"),
      orderId: order.id,
      fromStatus: null,
      toStatus: "pending",
      actor: order.userId ?? "system:checkout",
      reason: `checkout ${order.checkoutId}`,
      at,
    }),
    db.insert(orderTransitions).values({
      id: newId("otr"),
      orderId: order.id,
      fromStatus: "pending",
      toStatus: "paid",
      at,
      ...(order.paymentId
        ? { actor: `system:payments:${order.paymentProvider}`, reason: `payment ${order.paymentId}` }
        : { actor: "system:checkout", reason: "free order: nothing to charge" }),
    }),
    outboxInsert(db, created),
    outboxInsert(db, paid),
  ] as const;
}
