/**
 * The built-in test provider (local default): a real, D1-backed "bank" that answers Stripe's test
 * payment methods the way Stripe does, so every failure path of the checkout can be exercised with
 * `npm start` and no account. It is as strict as Stripe where money safety depends on it
 * (idempotency per key, lost answers, a ledger, manual capture): docs/payments.md, "The test
 * provider".
 */
import type { Database } from "../../db/client";
import { sha256Hex } from "../../platform/crypto";
import { newId } from "../../platform/ids";
import {
  assertChargeable,
  assertRefundable,
  AUTHORIZATION_VALIDITY_MS,
  chargeParameters,
  IDEMPOTENCY_KEY_TTL_MS,
  MAX_CHARGE_PAGE,
  type CaptureInput,
  type CaptureResult,
  type ChargeInput,
  type ChargeListQuery,
  type ChargePage,
  type ChargeResult,
  type ChargeState,
  type PaymentProvider,
  type ProviderCharge,
  type ProviderRefund,
  type RefundInput,
  type RefundResult,
} from "./payment-provider";
import { parsePaymentEvent, type PaymentEvent } from "./payment-event";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "./payments.errors";
import * as repository from "./payments.repository";
import { verifyWebhookSignature } from "./webhook-signature";

export const TEST_SIGNATURE_HEADER = "Motor-Test-Signature";

type Outcome =
  | { kind: "succeed"; loseAnswerOnce?: boolean; rateLimitResends?: boolean }
  | { kind: "decline"; code: string }
  | { kind: "unknown"; reason: "timeout" | "unavailable" }
  // waits for the buyer (3-D Secure): nothing is captured until the local authentication page says so
  | { kind: "authenticate"; fails: boolean };

/** Stripe's test payment methods plus Motor's fault tokens; anything else is refused like an unknown card. */
const OUTCOMES: Record<string, Outcome> = {
  pm_card_visa: { kind: "succeed" },
  pm_card_mastercard: { kind: "succeed" },
  pm_card_refundFails: { kind: "succeed" },
  // charged; its refunds answer `pending` and fail later (`failRefund`, the bank's "refund.failed")
  pm_card_refundPendingFails: { kind: "succeed" },
  pm_card_lostResponse: { kind: "succeed", loseAnswerOnce: true },
  // charged, the answer lost, and every re-send under the key is rate-limited (429) before the key is looked at
  pm_card_rateLimitedResend: { kind: "succeed", loseAnswerOnce: true, rateLimitResends: true },
  pm_card_chargeDeclined: { kind: "decline", code: "card_declined" },
  pm_card_insufficientFunds: { kind: "decline", code: "insufficient_funds" },
  // no answer, nothing charged: the caller cannot tell this from a lost answer
  pm_card_timeout: { kind: "unknown", reason: "timeout" },
  // a 5xx, nothing charged
  pm_card_providerError: { kind: "unknown", reason: "unavailable" },
  // needs the buyer: the authentication page offers complete / fail
  pm_card_threeDSecureRequired: { kind: "authenticate", fails: false },
  // needs the buyer, and the authentication fails whatever they do
  pm_card_threeDSecureFail: { kind: "authenticate", fails: true },
};

export type DescribedCharge = ChargeState & {
  returnUrl: string | null;
  amount: number;
  currency: string;
  checkoutId: string | null;
};

/** The local authentication page of a charge that waits for the buyer (served only with this provider outside production). */
export const authenticationPath = (paymentId: string) => `/test-provider/authenticate/${encodeURIComponent(paymentId)}`;

const REFUND_PENDING_FAILS = "pm_card_refundPendingFails";

/** `pm_card_refundFails`: the first refunds of its charges fail this many times, then succeed. */
export const FAILING_REFUNDS = 2;

export class TestPaymentProvider implements PaymentProvider {
  readonly name = "test" as const;

  constructor(
    private readonly db: Database,
    private readonly webhookSecret: string | undefined,
    /** The provider's clock: tests move it to see keys forgotten after 24 h, as Stripe forgets them. */
    private readonly now: () => number = Date.now,
    /** Where the authentication page is served (PUBLIC_BASE_URL). */
    private readonly baseUrl = "http://127.0.0.1:8787",
  ) {}

  /** A key older than 24 h is forgotten (Stripe's rule): its old row no longer answers for it. */
  private async remembered<T extends { id: string; createdAt: number }>(
    row: T | undefined,
    forget: (row: T) => Promise<void>,
  ): Promise<T | undefined> {
    if (!row || this.now() - row.createdAt < IDEMPOTENCY_KEY_TTL_MS) return row;
    await forget(row);
    return undefined;
  }

  private rememberedPayment(row: repository.PaymentRow | undefined) {
    return this.remembered(row, (old) => repository.forgetPaymentKey(this.db, old.id));
  }

  async charge(input: ChargeInput): Promise<ChargeResult> {
    assertChargeable(input);
    const requestHash = await sha256Hex(chargeParameters(input));
    const outcome = OUTCOMES[input.paymentMethod] ?? { kind: "decline", code: "invalid_payment_method" };
    if (outcome.kind === "unknown") {
      // nothing is charged now; an earlier request under the key may have been
      const previous = await this.rememberedPayment(
        await repository.findPaymentByKey(this.db, this.name, input.idempotencyKey),
      );
      if (previous) return this.replay(previous, requestHash);
      throw new PaymentOutcomeUnknownError(
        outcome.reason,
        outcome.reason === "timeout" ? "The payment provider timed out" : "The payment provider failed (5xx)",
      );
    }
    if (
      outcome.kind === "succeed" &&
      outcome.rateLimitResends &&
      (await this.rememberedPayment(await repository.findPaymentByKey(this.db, this.name, input.idempotencyKey)))
    ) {
      // a 429 says nothing about the key: whatever the first request did stands (Stripe rate-limits first)
      throw new PaymentOutcomeUnknownError("rate_limited", "The payment provider rate-limited the request (429)");
    }
    // one round trip: the insert wins the key, or the earlier request's row is replayed (unless forgotten)
    let written = await this.insertCharge(input, requestHash, outcome);
    if (!written.inserted && !(await this.rememberedPayment(written.row)))
      written = await this.insertCharge(input, requestHash, outcome);
    const { row, inserted } = written;
    // the charge happened; the answer is lost on its way back, once
    if (inserted && outcome.kind === "succeed" && outcome.loseAnswerOnce)
      throw new PaymentOutcomeUnknownError("timeout", "The payment provider's answer was lost");
    return this.replay(row, requestHash);
  }

  /**
   * Answers a charge from its stored row: the same key always gets the same answer — for a charge
   * that waited for the buyer, Stripe's first answer (`requires_action`) whatever happened since.
   */
  private replay(row: repository.PaymentRow, requestHash: string): ChargeResult {
    if (row.requestHash !== requestHash)
      throw new PaymentRejectedError("This idempotency key was used with other charge parameters");
    if (OUTCOMES[row.paymentMethod]?.kind === "authenticate")
      return {
        paymentId: row.id,
        status: "requires_action",
        nextAction: { type: "redirect", url: this.baseUrl + authenticationPath(row.id) },
      };
    if (row.status === "declined") throw new PaymentDeclinedError(row.declineCode ?? "card_declined");
    return { paymentId: row.id, status: "succeeded" };
  }

  async retrieveCharge(paymentId: string): Promise<ChargeState> {
    const row = await this.unexpired(await repository.findPayment(this.db, paymentId));
    if (!row) throw new PaymentRejectedError("No such payment");
    return chargeStateOf(row);
  }

  /** Stripe's capture: once, at most what was authorised, before the authorisation expires; the same key replays it. */
  async capture(input: CaptureInput): Promise<CaptureResult> {
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
      throw new PaymentRejectedError("A capture amount must be a positive integer in minor units");
    if (!input.idempotencyKey || input.idempotencyKey.length > 255)
      throw new PaymentRejectedError("A capture needs an idempotency key of 1–255 characters");
    const row = await this.unexpired(await repository.findPayment(this.db, input.paymentId));
    if (!row) throw new PaymentRejectedError("No such payment");
    if (row.captureKey === input.idempotencyKey) {
      if (row.amountCaptured !== input.amount)
        throw new PaymentRejectedError("This idempotency key was used for another capture");
      return { paymentId: row.id, amountCaptured: row.amountCaptured };
    }
    if (row.status !== "authorized")
      throw new PaymentRejectedError(`A payment that is ${row.status} cannot be captured`);
    if (input.amount > row.amount)
      throw new PaymentRejectedError(`A capture cannot take more than the ${row.amount} authorised`);
    if (
      !(await repository.capturePayment(this.db, row.id, {
        amount: input.amount,
        key: input.idempotencyKey,
        at: this.now(),
      }))
    )
      return this.capture(input);
    return { paymentId: row.id, amountCaptured: input.amount };
  }

  /** Stripe's cancel of an uncaptured intent: the hold is released; again is fine; a captured payment is refunded instead. */
  async voidAuthorization(paymentId: string, idempotencyKey: string): Promise<void> {
    if (!idempotencyKey) throw new PaymentRejectedError("A void needs an idempotency key");
    const row = await this.unexpired(await repository.findPayment(this.db, paymentId));
    if (!row) throw new PaymentRejectedError("No such payment");
    if (row.status === "voided") return;
    if (row.status !== "authorized") throw new PaymentRejectedError(`A payment that is ${row.status} cannot be voided`);
    await repository.voidPayment(this.db, row.id, this.now());
    return this.voidAuthorization(paymentId, idempotencyKey);
  }

  /** An authorisation older than 7 days on the provider's clock has expired: the bank released it (Stripe cancels the intent). */
  private async unexpired(row: repository.PaymentRow | undefined): Promise<repository.PaymentRow | undefined> {
    if (row?.status !== "authorized" || this.now() - row.createdAt < AUTHORIZATION_VALIDITY_MS) return row;
    await repository.voidPayment(this.db, row.id, row.createdAt + AUTHORIZATION_VALIDITY_MS);
    return repository.findPayment(this.db, row.id);
  }

  async cancelCharge(paymentId: string): Promise<ChargeState> {
    await repository.settleWaitingPayment(this.db, paymentId, { status: "canceled" });
    return this.retrieveCharge(paymentId);
  }

  /** A charge with what the authentication page and the provider's own webhook need. */
  async describeCharge(paymentId: string): Promise<DescribedCharge | undefined> {
    const row = await repository.findPayment(this.db, paymentId);
    return (
      row && {
        ...chargeStateOf(row),
        returnUrl: row.returnUrl,
        amount: row.amount,
        currency: row.currency,
        checkoutId: row.checkoutId,
      }
    );
  }

  /**
   * The buyer on the local authentication page: "complete" captures a charge that waits (unless its
   * token always fails), "fail" declines it. Nothing happens to a charge that no longer waits (the
   * window passed, or a second click): `changed` is false then. Answers the charge as it now is.
   */
  async authenticate(
    paymentId: string,
    choice: "complete" | "fail",
  ): Promise<(DescribedCharge & { changed: boolean }) | undefined> {
    const row = await repository.findPayment(this.db, paymentId);
    if (!row) return undefined;
    const outcome = OUTCOMES[row.paymentMethod];
    const succeeds = choice === "complete" && outcome?.kind === "authenticate" && !outcome.fails;
    const authorised = row.captureMethod === "manual" ? "authorized" : "succeeded";
    const changed = await repository.settleWaitingPayment(
      this.db,
      paymentId,
      succeeds ? { status: authorised } : { status: "declined", declineCode: "authentication_failed" },
    );
    const described = await this.describeCharge(paymentId);
    return described && { ...described, changed };
  }

  private insertCharge(input: ChargeInput, requestHash: string, outcome: Exclude<Outcome, { kind: "unknown" }>) {
    return repository.insertPaymentOnce(this.db, {
      id: newId("pay"),
      provider: this.name,
      idempotencyKey: input.idempotencyKey,
      requestHash,
      amount: input.amount,
      currency: input.currency,
      paymentMethod: input.paymentMethod,
      status:
        outcome.kind === "succeed"
          ? input.captureMethod === "manual"
            ? "authorized"
            : "succeeded"
          : outcome.kind === "authenticate"
            ? "requires_action"
            : "declined",
      captureMethod: input.captureMethod ?? "automatic",
      declineCode: outcome.kind === "decline" ? outcome.code : null,
      returnUrl: input.returnUrl ?? null,
      description: input.description,
      checkoutId: input.metadata.checkoutId,
      orderId: input.metadata.orderId,
      createdAt: this.now(),
    });
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    assertRefundable(input);
    const previous = await this.remembered(await repository.findRefundByKey(this.db, input.idempotencyKey), (old) =>
      repository.forgetRefundKey(this.db, old.id),
    );
    if (previous) return refundAnswer(previous, input);
    const payment = await repository.findPayment(this.db, input.paymentId);
    const status = payment?.paymentMethod === REFUND_PENDING_FAILS ? "pending" : "succeeded";
    // only captured money can go back: a charge declined, waiting for the buyer, cancelled, or only
    // authorised (void it instead) has none
    if (!payment || (payment.status !== "succeeded" && payment.status !== "refunded"))
      throw new PaymentRejectedError("There is no captured payment with this id to refund");
    if (await repository.failRefundOnce(this.db, payment.id, FAILING_REFUNDS))
      throw new PaymentOutcomeUnknownError("unavailable", "The refund failed at the provider");
    const amount = input.amount ?? capturedOf(payment) - payment.amountRefunded;
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new PaymentRejectedError("The refund amount must be a positive integer");
    await repository.recordRefund(this.db, {
      id: newId("re"),
      paymentId: payment.id,
      idempotencyKey: input.idempotencyKey,
      amount,
      createdAt: this.now(),
      status,
    });
    const recorded = await repository.findRefundByKey(this.db, input.idempotencyKey);
    if (!recorded) throw new PaymentRejectedError("The refund exceeds what is left of the payment");
    return refundAnswer(recorded, input);
  }

  async listRefunds(paymentId: string): Promise<ProviderRefund[]> {
    return (await repository.refundsOfPayment(this.db, paymentId)).map((row) => ({
      refundId: row.id,
      paymentId: row.paymentId,
      amount: row.amount,
      status: row.status,
    }));
  }

  /** A pending refund fails at the bank (tests; Stripe's `refund.failed`): its amount is back on the charge. */
  async failRefund(refundId: string): Promise<boolean> {
    return repository.failPendingRefund(this.db, refundId);
  }

  /** A pending refund goes through at the bank (tests; Stripe's `charge.refund.updated` succeeded). */
  async succeedRefund(refundId: string): Promise<boolean> {
    return repository.succeedPendingRefund(this.db, refundId);
  }

  /** The ledger's charge for a checkout (reconciliation and compensation look it up by checkout id). */
  async findCharge(checkoutId: string): Promise<ProviderCharge | null> {
    const row = await repository.findPaymentByCheckout(this.db, this.name, checkoutId);
    return row ? providerChargeOf(row) : null;
  }

  async verifyWebhook(rawBody: string, headers: Headers): Promise<PaymentEvent> {
    if (!this.webhookSecret) throw new PaymentRejectedError("TEST_PAYMENT_WEBHOOK_SECRET is not configured");
    await verifyWebhookSignature(this.webhookSecret, headers.get(TEST_SIGNATURE_HEADER), rawBody);
    return parsePaymentEvent(this.name, rawBody);
  }

  /** Pages like Stripe's list: newest first, at most 100 per page, the cursor is the last charge's id. */
  async listCharges({ since, until, limit = MAX_CHARGE_PAGE, cursor }: ChargeListQuery): Promise<ChargePage> {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_CHARGE_PAGE)
      throw new PaymentRejectedError(`A list page holds 1–${MAX_CHARGE_PAGE} charges`);
    const last = cursor ? await repository.findPayment(this.db, cursor) : undefined;
    if (cursor && !last) throw new PaymentRejectedError("No such charge to list after");
    // one row more than the page tells whether another page follows
    const rows = await repository.listPaymentsPage(this.db, this.name, {
      since,
      until,
      limit: limit + 1,
      after: last && { t: last.createdAt, id: last.id },
    });
    const page = rows.slice(0, limit);
    const data = page.map(providerChargeOf);
    return { data, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  }
}

/** What a charge took: all of it, or for a manual one what its capture took. */
const capturedOf = (row: repository.PaymentRow) => row.amountCaptured ?? row.amount;

/**
 * As Stripe lists intents: one waiting for the buyer is not money yet (`processing` here: looked at
 * again), a cancelled or voided one failed, an authorised one succeeded but uncaptured; a captured
 * manual one shows what it took.
 */
function providerChargeOf(row: repository.PaymentRow): ProviderCharge {
  const status =
    row.status === "declined" || row.status === "canceled" || row.status === "voided"
      ? "failed"
      : row.status === "requires_action"
        ? "processing"
        : "succeeded";
  return {
    paymentId: row.id,
    checkoutId: row.checkoutId,
    orderId: row.orderId,
    amount: capturedOf(row),
    amountRefunded: row.amountRefunded,
    currency: row.currency,
    status,
    ...(row.status === "authorized" ? { uncaptured: true } : {}),
    createdAt: row.createdAt,
  };
}

function chargeStateOf(row: repository.PaymentRow): ChargeState {
  if (row.status === "succeeded" || row.status === "refunded") return { paymentId: row.id, status: "succeeded" };
  if (row.status === "authorized") return { paymentId: row.id, status: "succeeded", uncaptured: true };
  if (row.status === "declined")
    return { paymentId: row.id, status: "failed", declineCode: row.declineCode ?? "card_declined" };
  if (row.status === "voided") return { paymentId: row.id, status: "canceled" };
  return { paymentId: row.id, status: row.status };
}

function refundAnswer(row: repository.RefundRow, input: RefundInput): RefundResult {
  if (row.paymentId !== input.paymentId || (input.amount !== undefined && input.amount !== row.amount)) {
    throw new PaymentRejectedError("This idempotency key was used for another refund");
  }
  // a replay answers what the refund is now: `failed` is not money back either (the caller keeps it pending)
  if (row.status === "failed") throw new PaymentRejectedError("This refund failed at the provider");
  return {
    refundId: row.id,
    paymentId: row.paymentId,
    amount: row.amount,
    status: row.status === "pending" ? "pending" : "succeeded",
  };
}
