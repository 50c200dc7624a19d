/**
 * Sending a decided refund to the provider, and settling it from the provider's answer or event. The
 * decision (a pending `order_refunds` row) is already durable when this runs, so a crash or a provider
 * failure here loses nothing: the refund stays pending and the minute cron (order-refunds.cron.ts)
 * sends it again under the same provider key, which the provider answers once. Money goes back
 * exactly once per row (I4, docs/checkout.md).
 */
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { isSimulatedCrash } from "../../platform/faults";
import type { PaymentEvent } from "../payments/payment-event";
import {
  IDEMPOTENCY_KEY_TTL_MS,
  isKeyAfterFailedRefund,
  keyAfterFailedRefund,
  type PaymentProvider,
} from "../payments/payment-provider";
import { flagMismatch, type FlaggedBy } from "../payments/mismatches";
import { refundAgainAfterFailure } from "../payments/orphan-refund";
import {
  confirmRefund,
  findRefundByProviderRefundId,
  markRefundFailed,
  markRefundSent,
  markRefundSucceeded,
  reopenFailedRefund,
  type OrderRefundRow,
} from "./order-refunds.repository";
import { log } from "../../platform/observability/log";

const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 60 * 60 * 1000;
/**
 * A refund the provider holds as `pending` is settled by its event; the sweep looks it up this often
 * anyway, for an event that came before the refund's id was stored (it matched no row) or never came.
 */
const LOOK_AGAIN_MS = 60 * 60 * 1000;

export const refundRetryDelayMs = (attempts: number) =>
  Math.min(RETRY_BASE_MS * 2 ** Math.min(attempts, 10), RETRY_MAX_MS);

/** Sends one pending refund; true when the provider confirmed it. Never throws for a provider failure. */
export async function settleRefund(
  db: Database,
  payments: PaymentProvider,
  refund: OrderRefundRow,
  now: number,
): Promise<boolean> {
  if (refund.status !== "pending") return true;
  if (!refund.paymentId) {
    // nothing was charged (a free order): nothing to send back
    await markRefundSucceeded(db, refund.id, "none", now);
    return true;
  }
  try {
    // the provider holds this refund (pending): never re-sent — after 24 h its key is forgotten and a
    // re-send would refund again; its event settles it, or this lookup does
    if (refund.providerRefundId) return await settleFromProvider(db, payments, refund, refund.providerRefundId, now);
    // past 24 h (the key may be forgotten) or after a failure (a new key): look before sending
    const lookFirst = now - refund.createdAt >= IDEMPOTENCY_KEY_TTL_MS || isKeyAfterFailedRefund(refund.providerKey);
    if (lookFirst && (await adoptedAfterLookup(db, payments, refund, now))) return false;
    const result = await payments.refund({
      paymentId: refund.paymentId,
      idempotencyKey: refund.providerKey,
      amount: refund.amount,
    });
    if (result.status === "pending") {
      await markRefundSent(db, refund.id, result.refundId, now + LOOK_AGAIN_MS, now);
      return false;
    }
    await markRefundSucceeded(db, refund.id, result.refundId, now);
    return true;
  } catch (error) {
    if (isSimulatedCrash(error)) throw error;
    await markRefundFailed(db, refund.id, String(error), now + refundRetryDelayMs(refund.attempts), now);
    log.warn("refund failed; it stays pending and is retried", {
      refundId: refund.id,
      orderId: refund.orderId,
      error: String(error),
    });
    return false;
  }
}

/**
 * A provider event about one refund (`charge.refund.updated`, `refund.failed`): a succeeded refund
 * settles its row; a failed one makes the row owed again under a NEW key (sent by
 * `retry-pending-refunds`) and opens a `refund_failed` mismatch. Idempotent: both compare on the
 * provider's refund id, which a failure clears.
 */
export async function applyRefundEvent(db: Database, event: PaymentEvent, env: Env, now: number): Promise<void> {
  if (!event.refundId) return;
  if (event.kind === "refund.succeeded") return confirmRefund(db, event.refundId, now);
  if (event.kind !== "refund.failed") return;
  const row = await findRefundByProviderRefundId(db, event.refundId);
  // no order refund sent it: the refund of a charge no order keeps (a compensated checkout's)
  if (!row) return refundAgainAfterFailure(db, event, env);
  const by = { actorId: `system:payments:${event.provider}`, origin: { requestId: `webhook:${event.id}`, ip: null } };
  await reopenAfterFailure(db, row, event.refundId, event.provider, `${event.type} (${event.id})`, by, now);
}

/** The provider says the refund `failed`: the row is owed again under a new key, and a person is told once. */
async function reopenAfterFailure(
  db: Database,
  row: OrderRefundRow,
  failedRefundId: string,
  provider: string,
  source: string,
  by: FlaggedBy,
  now: number,
): Promise<void> {
  if (!row.paymentId) return;
  const newKey = keyAfterFailedRefund(`${row.orderId}:refund:${row.id}`, failedRefundId);
  if (!(await reopenFailedRefund(db, row, failedRefundId, newKey, now))) return;
  await flagMismatch(
    db,
    {
      kind: "refund_failed",
      provider,
      paymentId: row.paymentId,
      checkoutId: null,
      orderId: row.orderId,
      amount: row.amount,
      currency: row.currency,
      action: "retried under a new key",
      resolved: false,
      detail: `${source}: refund ${failedRefundId} of ${row.amount} failed at the provider; the refund is owed again under a new key`,
    },
    now,
    by,
  );
  log.warn("refund failed at the provider; retried under a new key", {
    refundId: row.id,
    orderId: row.orderId,
    providerRefundId: failedRefundId,
  });
}

/**
 * A refund the provider holds as pending, looked up by its id: succeeded settles the row, failed
 * reopens it (as `refund.failed` would), still pending waits for the next look. True when settled.
 */
async function settleFromProvider(
  db: Database,
  payments: PaymentProvider,
  refund: OrderRefundRow,
  providerRefundId: string,
  now: number,
): Promise<boolean> {
  const held =
    refund.paymentId && payments.listRefunds
      ? (await payments.listRefunds(refund.paymentId)).find((candidate) => candidate.refundId === providerRefundId)
      : undefined;
  if (held?.status === "succeeded") {
    await markRefundSucceeded(db, refund.id, providerRefundId, now);
    return true;
  }
  if (held?.status === "failed") {
    const by = {
      actorId: `system:payments:${payments.name}`,
      origin: { requestId: "cron:retry-pending-refunds", ip: null },
    };
    await reopenAfterFailure(db, refund, providerRefundId, payments.name, "the refund's lookup", by, now);
    return false;
  }
  await markRefundSent(db, refund.id, providerRefundId, now + LOOK_AGAIN_MS, now);
  return false;
}

/**
 * Past 24 h the provider may have forgotten the row's key, so a re-send could refund a second time;
 * after a failure the row has a new key whose first answer may have been lost: first look up the
 * charge's refunds. One Motor does not know yet (no row carries its id) of this amount is this
 * row's lost answer: adopted (its id stored; settled by its event, its lookup, or at once when
 * already succeeded). True when nothing may be sent now (adopted, or no way to look up).
 */
async function adoptedAfterLookup(
  db: Database,
  payments: PaymentProvider,
  refund: OrderRefundRow,
  now: number,
): Promise<boolean> {
  if (!payments.listRefunds || !refund.paymentId) {
    await markRefundFailed(
      db,
      refund.id,
      "the provider cannot be asked which refunds it holds; not re-sent after 24 h",
      now + refundRetryDelayMs(refund.attempts),
      now,
    );
    return true;
  }
  for (const held of await payments.listRefunds(refund.paymentId)) {
    if (
      held.status === "failed" ||
      held.amount !== refund.amount ||
      (await findRefundByProviderRefundId(db, held.refundId))
    )
      continue;
    if (held.status === "succeeded") await markRefundSucceeded(db, refund.id, held.refundId, now);
    else await markRefundSent(db, refund.id, held.refundId, now + LOOK_AGAIN_MS, now);
    return true;
  }
  return false;
}
