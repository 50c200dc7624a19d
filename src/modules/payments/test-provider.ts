/**
 * The built-in test provider (local default): a real, D1-backed "bank" that answers Stripe's test
 * payment methods the way Stripe does, so every failure path of the checkout can be exercised with
 * `npm start` and no account. It is as strict as Stripe where money safety depends on it:
 * - provider-side idempotency: the same key with the same parameters answers the first outcome;
 *   the same key with other parameters is refused;
 * - it can act and then lose the answer (`pm_card_lostResponse`), time out or fail without acting;
 * - it keeps a ledger of every charge and refund (GET /v1/admin/payments/test-ledger) that tests and
 *   reconciliation check Motor's orders against.
 */
import type { Database } from "../../db/client";
import { sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";
import {
  assertChargeable,
  assertRefundable,
  chargeParameters,
  type ChargeInput,
  type ChargeResult,
  type PaymentProvider,
  type ProviderCharge,
  type RefundInput,
  type RefundResult,
} from "./payment-provider";
import { parsePaymentEvent, type PaymentEvent } from "./payment-event";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "./payments.errors";
import * as repository from "./payments.repository";
import { verifyWebhookSignature } from "./webhook-signature";

export const TEST_SIGNATURE_HEADER = "Motor-Test-Signature";

type Outcome =
  | { kind: "succeed"; loseAnswerOnce?: boolean }
  | { kind: "decline"; code: string }
  | { kind: "unknown"; reason: "timeout" | "unavailable" };

/** Stripe's test payment methods plus Motor's fault tokens; anything else is refused like an unknown card. */
const OUTCOMES: Record<string, Outcome> = {
  pm_card_visa: { kind: "succeed" },
  pm_card_mastercard: { kind: "succeed" },
  pm_card_refundFails: { kind: "succeed" },
  pm_card_lostResponse: { kind: "succeed", loseAnswerOnce: true },
  pm_card_chargeDeclined: { kind: "decline", code: "card_declined" },
  pm_card_insufficientFunds: { kind: "decline", code: "insufficient_funds" },
  // no answer, nothing charged: the caller cannot tell this from a lost answer
  pm_card_timeout: { kind: "unknown", reason: "timeout" },
  // a 5xx, nothing charged
  pm_card_providerError: { kind: "unknown", reason: "unavailable" },
};

/** `pm_card_refundFails`: the first refunds of its charges fail this many times, then succeed. */
export const FAILING_REFUNDS = 2;

export class TestPaymentProvider implements PaymentProvider {
  readonly name = "test" as const;

  constructor(
    private readonly db: Database,
    private readonly webhookSecret: string | undefined,
  ) {}

  async charge(input: ChargeInput): Promise<ChargeResult> {
    assertChargeable(input);
    const requestHash = await sha256Hex(chargeParameters(input));
    const outcome = OUTCOMES[input.paymentMethod] ?? { kind: "decline", code: "invalid_payment_method" };
    if (outcome.kind === "unknown") {
      // nothing is charged now; an earlier request under the key may have been
      const previous = await repository.findPaymentByKey(this.db, this.name, input.idempotencyKey);
      if (previous) return replay(previous, requestHash);
      throw new PaymentOutcomeUnknownError(outcome.reason, outcome.reason === "timeout" ? "The payment provider timed out" : "The payment provider failed (5xx)");
    }
    // one round trip: the insert wins the key, or the earlier request's row is replayed
    const { row, inserted } = await repository.insertPaymentOnce(this.db, {
      id: newId("pay"),
      provider: this.name,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      amount: input.amount,
      currency: input.currency,
      paymentMethod: input.paymentMethod,
      status: outcome.kind === "succeed" ? "succeeded" : "declined",
      declineCode: outcome.kind === "decline" ? outcome.code : null,
      description: input.description,
      checkoutId: input.metadata.checkoutId,
      orderId: input.metadata.orderId,
      createdAt: Date.now(),
    });
    // the charge happened; the answer is lost on its way back, once
    if (inserted && outcome.kind === "succeed" && outcome.loseAnswerOnce) throw new PaymentOutcomeUnknownError("timeout", "The payment provider's answer was lost");
    return replay(row, requestHash);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertRefundable(input);
    const previous = await repository.findRefundByKey(this.db, input.idempotencyKey);
    if (previous) return refundAnswer(previous, input);
    const payment = await repository.findPayment(this.db, input.paymentId);
    if (!payment || payment.status === "declined") throw new PaymentRejectedError("There is no successful payment with this id to refund");
    if (await repository.failRefundOnce(this.db, payment.id, FAILING_REFUNDS)) throw new PaymentOutcomeUnknownError("unavailable", "The refund failed at the provider");
    const amount = input.amount ?? payment.amount - payment.amountRefunded;
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new PaymentRejectedError("The refund amount must be a positive integer");
    await repository.recordRefund(this.db, { id: newId("re"), paymentId: payment.id, idempotencyKey: input.idempotencyKey, amount, createdAt: Date.now() });
    const recorded = await repository.findRefundByKey(this.db, input.idempotencyKey);
    if (!recorded) throw new PaymentRejectedError("The refund exceeds what is left of the payment");
    return refundAnswer(recorded, input);
  }

  async verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent> {
    if (!this.webhookSecret) throw new PaymentRejectedError("TEST_PAYMENT_WEBHOOK_SECRET is not configured");
    await verifyWebhookSignature(this.webhookSecret, headers.get(TEST_SIGNATURE_HEADER), rawBody);
    return parsePaymentEvent(this.name, rawBody);
  }

  async listCharges(since: number): Promise<ProviderCharge[]> {
    const rows = await repository.listPaymentsSince(this.db, this.name, since);
    return rows.map((row) => ({
      paymentId: row.id,
      checkoutId: row.checkoutId,
      orderId: row.orderId,
      amount: row.amount,
      amountRefunded: row.amountRefunded,
      currency: row.currency,
      status: row.status === "declined" ? "failed" : "succeeded",
      createdAt: row.createdAt,
    }));
  }
}

/** Answers a charge from its stored row: the same key always gets the same answer. */
function replay(row: repository.PaymentRow, requestHash: string): ChargeResult {
  if (row.requestHash !== requestHash) throw new PaymentRejectedError("This idempotency key was used with other charge parameters");
  if (row.status === "declined") throw new PaymentDeclinedError(row.declineCode ?? "card_declined");
  return { paymentId: row.id, status: "succeeded" };
}

function refundAnswer(row: repository.RefundRow, input: RefundInput): RefundResult {
  if (row.paymentId !== input.paymentId || (input.amount !== undefined && input.amount !== row.amount)) {
    throw new PaymentRejectedError("This idempotency key was used for another refund");
  }
  return { refundId: row.id, paymentId: row.paymentId, amount: row.amount, status: "succeeded" };
}
