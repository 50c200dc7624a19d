/**
 * An order's authorisation (PAYMENT_CAPTURE = manual): authorized → capturing → captured (first parcel
 * or the console), or → voiding → voided (cancel, everything refunded, expiry). As for refunds (I4),
 * each move's decision and amount commit first, in the guarded batch that causes it; only then is the
 * provider asked, under one key per order and move, and the minute cron asks again after a failure.
 * The rules: docs/payments.md, "Authorise now, capture at shipping".
 */
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { orders, type OrderPaymentStatus, type OrderStatus } from "../../db/schema";
import { isSimulatedCrash } from "../../platform/faults";
import { log } from "../../platform/observability/log";
import { newEvent, outboxInsert } from "../jobs/outbox";
import { flagMismatch } from "../payments/mismatches";
import { AUTHORIZATION_VALIDITY_MS, type PaymentProvider } from "../payments/payment-provider";
import { PaymentRejectedError } from "../payments/payments.errors";
import type { OrderRefundRow } from "./order-refunds.repository";
import type { OrderRow } from "./orders.repository";

/** The merchant is warned this long before an authorisation expires (a webhook event, once). */
export const WARN_BEFORE_EXPIRY_MS = 2 * 24 * 60 * 60 * 1000;
/** The expiry policy acts this long before: an order that shipped nothing is cancelled and its authorisation voided. */
export const ACT_BEFORE_EXPIRY_MS = 24 * 60 * 60 * 1000;

const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 60 * 60 * 1000;
const BATCH = 50;

/** The moves that say the goods left (a parcel, or staff marking it): the first one captures. */
export const SHIPPING_STATUSES: ReadonlySet<OrderStatus> = new Set([
  "fulfilled",
  "partially_shipped",
  "shipped",
  "delivered",
]);

export const captureKeyOf = (orderId: string) => `${orderId}:capture`;
export const voidKeyOf = (orderId: string) => `${orderId}:void`;
const retryDelayMs = (attempts: number) => Math.min(RETRY_BASE_MS * 2 ** Math.min(attempts, 10), RETRY_MAX_MS);

/** The columns of an order born authorised: its expiry, and the cron's first look (the warning). */
export function authorisationColumns(since: number) {
  const expiresAt = since + AUTHORIZATION_VALIDITY_MS;
  return {
    paymentStatus: "authorized" as const,
    authorizationExpiresAt: expiresAt,
    paymentNextAttemptAt: expiresAt - WARN_BEFORE_EXPIRY_MS,
  };
}

/** What a capture takes now: the total less every refund and release decided so far (never more than was authorised). */
export function capturableAmount(order: Pick<OrderRow, "total">, refunds: Pick<OrderRefundRow, "amount">[]): number {
  return order.total - refunds.reduce((sum, refund) => sum + refund.amount, 0);
}

/** The order as its decided capture of `amount` left it: what settleOrderPayment is handed next. */
export function capturingOrder<Order extends OrderRow>(order: Order, amount: number): Order {
  return { ...order, paymentStatus: "capturing", amountCaptured: amount, paymentAttempts: 0 };
}

/** Batchable: the capture decided, with its amount; a no-op unless the order is still only authorised. */
export function captureStatement(
  db: Database,
  orderId: string,
  amount: number,
  at: number,
  guardedId: string | ReturnType<typeof sql> = orderId,
) {
  return db
    .update(orders)
    .set({
      paymentStatus: "capturing",
      amountCaptured: amount,
      paymentAttempts: 0,
      paymentNextAttemptAt: at,
      paymentLastError: null,
      updatedAt: at,
    })
    .where(and(eq(orders.id, guardedId), eq(orders.paymentStatus, "authorized")))
    .returning({ id: orders.id });
}

/** Batchable: the void decided (a cancel, everything refunded, the expiry policy); a no-op unless only authorised. */
export function voidStatement(db: Database, orderId: string, at: number) {
  return db
    .update(orders)
    .set({
      paymentStatus: "voiding",
      paymentAttempts: 0,
      paymentNextAttemptAt: at,
      paymentLastError: null,
      updatedAt: at,
    })
    .where(and(eq(orders.id, orderId), eq(orders.paymentStatus, "authorized")));
}

/** Where the provider's answer leaves the order; the event tells the merchant (webhooks) once the money moved. */
async function settled(
  db: Database,
  order: OrderRow,
  from: "capturing" | "voiding",
  to: "captured" | "voided",
  at: number,
): Promise<void> {
  if (
    (await db.select({ status: orders.paymentStatus }).from(orders).where(eq(orders.id, order.id)).get())?.status !==
    from
  )
    return; // settled by another attempt
  const type = to === "captured" ? "order.payment_captured" : "order.payment_voided";
  const event = newEvent(type, {
    orderId: order.id,
    userId: order.userId,
    email: order.email,
    currency: order.currency,
    paymentId: order.paymentId,
    amount: to === "captured" ? order.amountCaptured : null,
  });
  // the move and its event together (at least once: two attempts settling at the same instant both tell)
  await db.batch([
    db
      .update(orders)
      .set({ paymentStatus: to, paymentNextAttemptAt: null, paymentLastError: null, updatedAt: at })
      .where(and(eq(orders.id, order.id), eq(orders.paymentStatus, from))),
    outboxInsert(db, event),
  ]);
}

async function failed(db: Database, order: OrderRow, error: unknown, at: number): Promise<void> {
  const text = String(error).slice(0, 500);
  if (error instanceof PaymentRejectedError) {
    // the provider will never do it (expired, already voided or captured elsewhere): a person decides
    await db
      .update(orders)
      .set({ paymentLastError: text, paymentNextAttemptAt: null, updatedAt: at })
      .where(eq(orders.id, order.id))
      .run();
    const kind = order.paymentStatus === "capturing" ? "capture_failed" : "void_failed";
    await flagMismatch(
      db,
      {
        kind,
        provider: order.paymentProvider ?? "unknown",
        paymentId: order.paymentId ?? order.id,
        checkoutId: order.checkoutId,
        orderId: order.id,
        amount: order.amountCaptured ?? order.total,
        currency: order.currency,
        detail: `${kind.replace("_", " ")}: ${text}`,
        action: null,
        resolved: false,
      },
      at,
      { actorId: "system:order-payments", origin: { requestId: `order-payment:${order.id}`, ip: null } },
    );
    log.error("the provider refused an order's capture or void for good; flagged for a person", {
      orderId: order.id,
      error: text,
    });
    return;
  }
  await db
    .update(orders)
    .set({
      paymentAttempts: sql`${orders.paymentAttempts} + 1`,
      paymentLastError: text,
      paymentNextAttemptAt: at + retryDelayMs(order.paymentAttempts),
      updatedAt: at,
    })
    .where(eq(orders.id, order.id))
    .run();
  log.warn("an order's capture or void did not get through; retried", {
    orderId: order.id,
    status: order.paymentStatus,
    error: text,
  });
}

/**
 * Asks the provider for the capture or void an order has decided; answers where the payment now
 * stands. Never throws for a provider failure: the order stays due and the cron asks again.
 */
export async function settleOrderPayment(
  db: Database,
  payments: PaymentProvider,
  order: OrderRow,
  now: number,
): Promise<OrderPaymentStatus | null> {
  if (!order.paymentId || (order.paymentStatus !== "capturing" && order.paymentStatus !== "voiding"))
    return order.paymentStatus;
  try {
    if (order.paymentStatus === "capturing") {
      await payments.capture({
        paymentId: order.paymentId,
        amount: order.amountCaptured ?? 0,
        idempotencyKey: captureKeyOf(order.id),
      });
      await settled(db, order, "capturing", "captured", now);
      return "captured";
    }
    await payments.voidAuthorization(order.paymentId, voidKeyOf(order.id));
    await settled(db, order, "voiding", "voided", now);
    return "voided";
  } catch (error) {
    if (isSimulatedCrash(error)) throw error;
    await failed(db, order, error, now);
    return order.paymentStatus;
  }
}

/** The orders whose payment needs the cron now: a capture or void to retry, an expiry to warn about or act on. */
export function findDuePayments(db: Database, now: number, limit = BATCH): Promise<OrderRow[]> {
  return db
    .select()
    .from(orders)
    .where(
      and(inArray(orders.paymentStatus, ["authorized", "capturing", "voiding"]), lte(orders.paymentNextAttemptAt, now)),
    )
    .orderBy(asc(orders.paymentNextAttemptAt))
    .limit(limit)
    .all();
}

/** The cron could not act on an order's payment now (a race with staff): it looks again later, not every minute. */
export async function deferPayment(db: Database, orderId: string, error: unknown, at: number): Promise<void> {
  await db
    .update(orders)
    .set({ paymentLastError: String(error).slice(0, 500), paymentNextAttemptAt: at + RETRY_MAX_MS })
    .where(eq(orders.id, orderId))
    .run();
}

/** The merchant's warning, once: its event and the cron's next look (the policy's moment) in one batch. */
export async function warnExpiring(db: Database, order: OrderRow, now: number): Promise<void> {
  const expiresAt = order.authorizationExpiresAt ?? now;
  const event = newEvent("order.authorization_expiring", {
    orderId: order.id,
    userId: order.userId,
    email: order.email,
    currency: order.currency,
    total: order.total,
    paymentId: order.paymentId,
    expiresAt: new Date(expiresAt).toISOString(),
    policy: "at one day before expiry, an order that shipped nothing is cancelled and its authorisation voided",
  });
  // the mark and its event together: a run that dies between them neither warns nor forgets to
  await db.batch([
    db
      .update(orders)
      .set({ authorizationWarnedAt: now, paymentNextAttemptAt: expiresAt - ACT_BEFORE_EXPIRY_MS, updatedAt: now })
      .where(and(eq(orders.id, order.id), eq(orders.paymentStatus, "authorized"))),
    outboxInsert(db, event),
  ]);
}
