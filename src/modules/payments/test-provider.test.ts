import { env } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../db/client";
import { testProviderCharges, testProviderRefunds } from "../../db/schema";
import { newId } from "../../platform/ids";
import { describePaymentProviderContract } from "./payment-provider-contract.fixtures";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "./payments.errors";
import { FAILING_REFUNDS, TestPaymentProvider } from "./test-provider";

const db = createDatabase(env.DB);
const provider = new TestPaymentProvider(db, "whsec_test");
const chargesCreated = async () =>
  (await db.select({ n: count() }).from(testProviderCharges).where(eq(testProviderCharges.status, "succeeded")))[0]
    ?.n ?? 0;
const rowsOfKey = (key: string) =>
  db.select().from(testProviderCharges).where(eq(testProviderCharges.idempotencyKey, key)).all();

describePaymentProviderContract("the test provider", () => {
  let offset = 0;
  const clocked = new TestPaymentProvider(db, "whsec_test", () => Date.now() + offset);
  return {
    provider: clocked,
    chargesCreated,
    failRefund: async (refundId) => void (await clocked.failRefund(refundId)),
    advanceClock: (ms) => void (offset += ms),
    authenticate: async (paymentId, succeeds) =>
      void (await clocked.authenticate(paymentId, succeeds ? "complete" : "fail")),
  };
});

const charge = (paymentMethod: string, idempotencyKey = newId("chk"), amount = 1_000) =>
  provider.charge({
    amount,
    currency: "EUR",
    paymentMethod,
    idempotencyKey,
    description: `Motor order ${idempotencyKey}`,
    metadata: { checkoutId: idempotencyKey, orderId: `ord_${idempotencyKey}` },
  });

describe("the test provider's fault tokens", () => {
  it("pm_card_timeout and pm_card_providerError: the outcome is unknown (503) and nothing is charged or recorded", async () => {
    const key = newId("chk");
    await expect(charge("pm_card_timeout", key)).rejects.toMatchObject({
      status: 503,
      slug: "payment-outcome-unknown",
      reason: "timeout",
    });
    await expect(charge("pm_card_providerError", key)).rejects.toMatchObject({ status: 503, reason: "unavailable" });
    await expect(charge("pm_card_timeout", key)).rejects.toBeInstanceOf(PaymentOutcomeUnknownError);
    expect(await rowsOfKey(key)).toEqual([]);
  });

  it("pm_card_lostResponse: the charge happens, its answer is lost once, and a replay with the key returns that charge", async () => {
    const key = newId("chk");
    await expect(charge("pm_card_lostResponse", key)).rejects.toBeInstanceOf(PaymentOutcomeUnknownError);
    const [stored] = await rowsOfKey(key);
    expect(stored).toMatchObject({ status: "succeeded", amount: 1_000, checkoutId: key });
    expect(await charge("pm_card_lostResponse", key)).toEqual({ paymentId: stored?.id, status: "succeeded" });
    expect(await rowsOfKey(key)).toHaveLength(1);
  });

  it(`pm_card_refundFails: the charge succeeds and its refunds fail ${FAILING_REFUNDS} times, then succeed once`, async () => {
    const { paymentId } = await charge("pm_card_refundFails");
    const refundKey = newId("ref");
    for (let attempt = 0; attempt < FAILING_REFUNDS; attempt++) {
      await expect(provider.refund({ paymentId, idempotencyKey: refundKey })).rejects.toMatchObject({ status: 503 });
    }
    const refund = await provider.refund({ paymentId, idempotencyKey: refundKey });
    expect(await provider.refund({ paymentId, idempotencyKey: refundKey })).toEqual(refund);
    expect(
      await db.select().from(testProviderRefunds).where(eq(testProviderRefunds.paymentId, paymentId)).all(),
    ).toHaveLength(1);
  });

  it("declines an unknown payment method as invalid", async () => {
    await expect(charge("pm_card_unknown")).rejects.toMatchObject({
      status: 402,
      declineCode: "invalid_payment_method",
    });
    await expect(charge("<script>".repeat(30))).rejects.toBeInstanceOf(PaymentDeclinedError);
  });
});

describe("the test provider's refunds", () => {
  it("never refunds more than was charged, even when refunds race", async () => {
    const { paymentId } = await charge("pm_card_visa", newId("chk"), 1_000);
    const attempts = await Promise.allSettled(
      Array.from({ length: 4 }, () => provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 400 })),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(2);
    expect(
      attempts
        .filter((attempt) => attempt.status === "rejected")
        .every((attempt) => (attempt as PromiseRejectedResult).reason instanceof PaymentRejectedError),
    ).toBe(true);
    const [row] = await db.select().from(testProviderCharges).where(eq(testProviderCharges.id, paymentId));
    expect(row).toMatchObject({ amountRefunded: 800, status: "succeeded" });
  });

  it("marks a fully refunded payment refunded and refuses another refund", async () => {
    const { paymentId } = await charge("pm_card_visa", newId("chk"), 700);
    await provider.refund({ paymentId, idempotencyKey: newId("ref") });
    const [row] = await db.select().from(testProviderCharges).where(eq(testProviderCharges.id, paymentId));
    expect(row).toMatchObject({ amountRefunded: 700, status: "refunded" });
    await expect(provider.refund({ paymentId, idempotencyKey: newId("ref") })).rejects.toBeInstanceOf(
      PaymentRejectedError,
    );
  });

  it("refuses to refund an unknown or declined payment, or a key reused for another payment or amount", async () => {
    await expect(provider.refund({ paymentId: "pay_nope", idempotencyKey: newId("ref") })).rejects.toBeInstanceOf(
      PaymentRejectedError,
    );
    const key = newId("chk");
    await charge("pm_card_chargeDeclined", key).catch(() => undefined);
    const [declined] = await rowsOfKey(key);
    await expect(
      provider.refund({ paymentId: declined?.id ?? "", idempotencyKey: newId("ref") }),
    ).rejects.toBeInstanceOf(PaymentRejectedError);
    const refundKey = newId("ref");
    const first = await charge("pm_card_visa");
    const second = await charge("pm_card_visa");
    await provider.refund({ paymentId: first.paymentId, idempotencyKey: refundKey, amount: 100 });
    await expect(
      provider.refund({ paymentId: second.paymentId, idempotencyKey: refundKey, amount: 100 }),
    ).rejects.toBeInstanceOf(PaymentRejectedError);
    await expect(
      provider.refund({ paymentId: first.paymentId, idempotencyKey: refundKey, amount: 200 }),
    ).rejects.toBeInstanceOf(PaymentRejectedError);
  });
});
