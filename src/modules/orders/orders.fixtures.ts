/**
 * Test data for the orders module: a real paid order (a real charge at the test provider, real
 * rows, stock on hand) without running a checkout, so order rules are tested on their own.
 */
import { env } from "cloudflare:workers";
import { createDatabase } from "../../db/client";
import { inventory, orderLines, orders, orderTransitions, type OrderStatus } from "../../db/schema";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import type { CaptureMethod } from "../payments/payment-provider";
import { paymentProviderFor } from "../payments/payments.service";
import { authorisationColumns } from "./order-payment";

export interface FixtureOrder {
  id: string;
  sku: string;
  paymentId: string;
  total: number;
}

export async function insertPaidOrder(options: {
  userId: string | null;
  status?: OrderStatus;
  quantity?: number;
  onHand?: number;
  createdAt?: number;
  paymentMethod?: string;
  /** `manual`: the charge only authorises, and the order starts `authorized` (order-payment.ts). */
  capture?: CaptureMethod;
}): Promise<FixtureOrder> {
  const db = createDatabase(env.DB);
  const id = newId("ord");
  const sku = `SKU-${newId("t").slice(2, 14).toUpperCase()}`;
  const quantity = options.quantity ?? 2;
  const total = 1500 * quantity;
  const { paymentId } = await paymentProviderFor(env, configOf(env)).charge({
    amount: total,
    currency: "EUR",
    paymentMethod: options.paymentMethod ?? "pm_card_visa",
    idempotencyKey: `fixture:${id}`,
    description: `Motor order ${id}`,
    metadata: { checkoutId: `fixture:${id}`, orderId: id },
    ...(options.capture === "manual" ? { captureMethod: "manual" as const } : {}),
  });
  const at = options.createdAt ?? Date.now();
  await db.batch([
    db.insert(inventory).values({ sku, onHand: options.onHand ?? 5, updatedAt: at }),
    db.insert(orders).values({
      id,
      userId: options.userId,
      email: "buyer@example.test",
      currency: "EUR",
      subtotal: total,
      total,
      status: options.status ?? "paid",
      paymentProvider: "test",
      paymentId,
      checkoutId: newId("chk"),
      createdAt: at,
      updatedAt: at,
      ...(options.capture === "manual" ? { captureMethod: "manual" as const, ...authorisationColumns(at) } : {}),
    }),
    db.insert(orderLines).values({ orderId: id, sku, title: "Fixture tee", quantity, unitPrice: 1500, total }),
    db.insert(orderTransitions).values({
      id: newId("otr"),
      orderId: id,
      fromStatus: null,
      toStatus: options.status ?? "paid",
      actor: "system:fixture",
      at,
    }),
  ]);
  return { id, sku, paymentId, total };
}
