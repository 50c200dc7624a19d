/**
 * Staff capture an authorised payment (POST /v1/admin/orders/{id}/capture; manual capture only).
 * The first parcel captures on its own (fulfill-order.ts); this is for a shop that takes the money
 * before shipping, or less than authorised. What it may take: the total less what was refunded
 * before it. Asking less releases the difference (a `release` row in the same batch, so the books
 * keep authorised = captured + released). The decision is one guarded batch; then the provider is
 * asked under the order's capture key, so a retry, a racing parcel or the cron capture once.
 */
import type { OrderStatus } from "../../db/schema";
import { ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { formatMoney } from "../../platform/money";
import { newId } from "../../platform/ids";
import { recordAudit, type Actor } from "../audit/audit.service";
import type { AdminOrderView } from "./order-admin.schemas";
import { toAdminOrderView } from "./order-admin.views";
import { capturableAmount, captureStatement, capturingOrder, settleOrderPayment } from "./order-payment";
import { decidedReleaseStatement } from "./order-refunds.repository";
import { unchangedOrderId } from "./order-guard";
import * as repository from "./orders.repository";
import type { OrdersDeps } from "./orders.service";

/** An order whose goods may still go out (or went out): a cancelled or refunded one was voided instead. */
const CAPTURABLE: ReadonlySet<OrderStatus> = new Set([
  "paid",
  "fulfilled",
  "partially_shipped",
  "shipped",
  "delivered",
]);

export interface CaptureRequest {
  orderId: string;
  actor: Actor;
  /** Minor units; all that may be taken when omitted. */
  amount?: number | undefined;
}

export async function captureOrder(deps: OrdersDeps, request: CaptureRequest): Promise<AdminOrderView> {
  const { db } = deps;
  const record = await repository.loadOrderRecord(db, request.orderId);
  if (!record) throw new NotFoundError({ detail: `Order ${request.orderId} not found` });
  const { order } = record;
  if (order.captureMethod !== "manual" || !order.paymentId) {
    throw new ConflictError({
      detail: order.paymentId
        ? "This order's payment was captured at checkout (PAYMENT_CAPTURE was automatic)"
        : "Nothing was charged for this order (a free order)",
      extensions: { captureMethod: order.captureMethod },
    });
  }
  // asked again (a double click, a retry): the capture already decided answers, and is pushed once more if it waits;
  // another amount than it took is a stale decision, refused
  if (order.paymentStatus === "captured" || order.paymentStatus === "capturing") {
    if (request.amount !== undefined && request.amount !== order.amountCaptured) {
      throw new ConflictError({
        detail: `This payment was already captured for ${formatMoney(order.amountCaptured ?? 0, order.currency)}; reload the order`,
        extensions: { paymentStatus: order.paymentStatus, amountCaptured: order.amountCaptured },
      });
    }
    return settleAndShow(deps, order);
  }
  if (order.paymentStatus !== "authorized" || !CAPTURABLE.has(order.status)) {
    throw new ConflictError({
      detail: `A payment that is ${order.paymentStatus ?? "not authorised"} on an order that is ${order.status} cannot be captured`,
      extensions: { paymentStatus: order.paymentStatus, status: order.status },
    });
  }
  const capturable = capturableAmount(order, record.refunds);
  const amount = request.amount ?? capturable;
  if (amount > capturable) {
    const most = formatMoney(capturable, order.currency);
    throw new UnprocessableError({
      detail:
        `At most ${most} can be captured (the ${formatMoney(order.total, order.currency)} authorised ` +
        `less what was refunded before capture)`,
      errors: [{ path: "amount", message: `at most ${capturable}` }],
      extensions: { capturable },
    });
  }
  const at = Date.now();
  const read = repository.readOf(record);
  const released = capturable - amount;
  const release = {
    id: newId("rfd"),
    orderId: order.id,
    paymentId: order.paymentId,
    amount: released,
    currency: order.currency,
    reason: "not captured: staff captured less than authorised",
    lines: null,
    restock: false,
    providerKey: `${order.id}:release:${newId("k")}`,
    actor: request.actor.userId,
    nextAttemptAt: at,
    createdAt: at,
    updatedAt: at,
  };
  // with a release, its insert is the guard (order as read) and the capture follows it; alone, the capture's own WHERE is
  const [first, second] = await db
    .batch(
      released > 0
        ? [decidedReleaseStatement(db, release, read), captureStatement(db, order.id, amount, at)]
        : [captureStatement(db, order.id, amount, at, unchangedOrderId(read))],
    )
    .catch(async (error: unknown) => {
      if (!(await repository.changedSince(db, read))) throw error;
      throw conflict();
    });
  const captured = (released > 0 ? second : first) as { id: string }[];
  if (captured.length === 0) throw conflict();
  await recordAudit(db, request.actor.origin, {
    action: "order.capture",
    actorId: request.actor.userId,
    subject: order.id,
    details: { amount, released, currency: order.currency },
  });
  return settleAndShow(deps, capturingOrder(order, amount));
}

const conflict = () =>
  new ConflictError({
    detail: "The order changed meanwhile (a refund, a parcel or a cancel); reload it and decide again",
    headers: { "Retry-After": "1" },
  });

async function settleAndShow(deps: OrdersDeps, order: repository.OrderRow): Promise<AdminOrderView> {
  if (deps.payments) await settleOrderPayment(deps.db, deps.payments, order, Date.now());
  const now = await repository.loadOrderRecord(deps.db, order.id);
  if (!now) throw new Error(`order ${order.id} vanished`);
  return toAdminOrderView(now);
}
