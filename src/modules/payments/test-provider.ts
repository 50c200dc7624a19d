/**
 * The built-in test provider (local default): a real, D1-backed "bank" that answers Stripe's test
 * payment methods the way Stripe does, so every failure path of the checkout can be exercised
 * with `npm start` and no account. Charges are idempotent per key (the same key charges once,
 * including the same decline) and refunds are recorded against the charge.
 */
import type { Database } from "../../db/client";
import { sha256Hex } from "../../platform/crypto";
import { UnprocessableError } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { assertChargeable, assertRefundable, type ChargeInput, type ChargeResult, type PaymentProvider, type RefundInput, type RefundResult } from "./payment-provider";
import { parsePaymentEvent, type PaymentEvent } from "./payment-event";
import { PaymentDeclinedError, PaymentProviderError } from "./payments.errors";
import * as repository from "./payments.repository";
import { verifyWebhookSignature } from "./webhook-signature";

export const TEST_SIGNATURE_HEADER = "Motor-Test-Signature";

type Outcome = { kind: "succeed" } | { kind: "decline"; code: string } | { kind: "fail"; reason: "timeout" | "unavailable" };

/** Stripe's test payment methods; anything else is refused like an unknown card. */
const OUTCOMES: Record<string, Outcome> = {
  pm_card_visa: { kind: "succeed" },
  pm_card_mastercard: { kind: "succeed" },
  pm_card_chargeDeclined: { kind: "decline", code: "card_declined" },
  pm_card_insufficientFunds: { kind: "decline", code: "insufficient_funds" },
  pm_card_timeout: { kind: "fail", reason: "timeout" },
  pm_card_providerError: { kind: "fail", reason: "unavailable" },
};

export class TestPaymentProvider implements PaymentProvider {
  readonly name = "test" as const;

  constructor(
    private readonly db: Database,
    private readonly webhookSecret: string | undefined,
  ) {}

  async charge(input: ChargeInput): Promise<ChargeResult> {
    assertChargeable(input);
    const requestHash = await sha256Hex(JSON.stringify([input.amount, input.currency, input.paymentMethod]));
    const previous = await repository.findPaymentByKey(this.db, this.name, input.idempotencyKey);
    if (previous) return replay(previous, requestHash);
    const outcome = OUTCOMES[input.paymentMethod] ?? { kind: "decline", code: "invalid_payment_method" };
    // transient failures charge nothing and record nothing, so a retry with the same key may succeed
    if (outcome.kind === "fail") throw new PaymentProviderError(outcome.reason, outcome.reason === "timeout" ? "The payment provider timed out" : "The payment provider failed");
    const stored = await repository.insertPaymentOnce(this.db, {
      id: newId("pay"),
      provider: this.name,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      amount: input.amount,
      currency: input.currency,
      paymentMethod: input.paymentMethod,
      status: outcome.kind === "succeed" ? "succeeded" : "declined",
      declineCode: outcome.kind === "decline" ? outcome.code : null,
      description: input.description ?? null,
      createdAt: Date.now(),
    });
    return replay(stored, requestHash);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertRefundable(input);
    const previous = await repository.findRefundByKey(this.db, input.idempotencyKey);
    if (previous) return refundAnswer(previous, input.paymentId);
    const payment = await repository.findPayment(this.db, input.paymentId);
    if (!payment || payment.status === "declined") throw new UnprocessableError({ detail: "There is no successful payment with this id to refund" });
    const amount = input.amount ?? payment.amount - payment.amountRefunded;
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new UnprocessableError({ detail: "The refund amount must be a positive integer" });
    await repository.recordRefund(this.db, { id: newId("re"), paymentId: payment.id, idempotencyKey: input.idempotencyKey, amount, createdAt: Date.now() });
    const recorded = await repository.findRefundByKey(this.db, input.idempotencyKey);
    if (!recorded) throw new UnprocessableError({ detail: "The refund exceeds what is left of the payment" });
    return refundAnswer(recorded, input.paymentId);
  }

  async verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent> {
    if (!this.webhookSecret) throw new PaymentProviderError("rejected", "TEST_PAYMENT_WEBHOOK_SECRET is not configured");
    await verifyWebhookSignature(this.webhookSecret, headers.get(TEST_SIGNATURE_HEADER), rawBody);
    return parsePaymentEvent(this.name, rawBody);
  }
}

/** Answers a charge from its stored row: the same key always gets the same answer. */
function replay(row: repository.PaymentRow, requestHash: string): ChargeResult {
  if (row.requestHash !== requestHash) throw new UnprocessableError({ detail: "This idempotency key was used for a different charge" });
  if (row.status === "declined") throw new PaymentDeclinedError(row.declineCode ?? "card_declined");
  return { paymentId: row.id, status: "succeeded" };
}

function refundAnswer(row: repository.RefundRow, paymentId: string): RefundResult {
  if (row.paymentId !== paymentId) throw new UnprocessableError({ detail: "This idempotency key was used for a refund of another payment" });
  return { refundId: row.id, paymentId: row.paymentId, amount: row.amount, status: "succeeded" };
}
