import { env } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../db/client";
import { payments } from "../../db/schema";
import { newId } from "../../platform/ids";
import { describePaymentProviderContract } from "./payment-provider.case";
import { PaymentDeclinedError, PaymentProviderError } from "./payments.errors";
import { TestPaymentProvider } from "./test-provider";

const db = createDatabase(env.DB);
const provider = new TestPaymentProvider(db, "whsec_test");
const chargesCreated = async () => (await db.select({ n: count() }).from(payments).where(eq(payments.status, "succeeded")))[0]?.n ?? 0;

describePaymentProviderContract("the test provider", () => ({ provider, chargesCreated }));

const charge = (paymentMethod: string, idempotencyKey = newId("chk"), amount = 1_000) => provider.charge({ amount, currency: "EUR", paymentMethod, idempotencyKey });

describe("the test provider's failure tokens", () => {
  it("times out on pm_card_timeout and fails on pm_card_providerError, with 503s that record nothing", async () => {
    const key = newId("chk");
    await expect(charge("pm_card_timeout", key)).rejects.toMatchObject({ status: 503, reason: "timeout" });
    await expect(charge("pm_card_providerError")).rejects.toMatchObject({ status: 503, reason: "unavailable" });
    await expect(charge("pm_card_timeout")).rejects.toBeInstanceOf(PaymentProviderError);
    // the key was not burnt: the buyer may retry it with a working card
    expect((await charge("pm_card_visa", key)).status).toBe("succeeded");
  });

  it("declines an unknown payment method as invalid", async () => {
    await expect(charge("pm_card_unknown")).rejects.toMatchObject({ status: 402, declineCode: "invalid_payment_method" });
    await expect(charge("<script>".repeat(30))).rejects.toBeInstanceOf(PaymentDeclinedError);
  });

  it("refuses one idempotency key reused for another amount with a 422", async () => {
    const key = newId("chk");
    await charge("pm_card_visa", key, 1_000);
    await expect(charge("pm_card_visa", key, 2_000)).rejects.toMatchObject({ status: 422 });
  });
});

describe("the test provider's refunds", () => {
  it("never refunds more than was charged, even when refunds race", async () => {
    const { paymentId } = await charge("pm_card_visa", newId("chk"), 1_000);
    const attempts = await Promise.allSettled(Array.from({ length: 4 }, () => provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 400 })));
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(2);
    expect(attempts.filter((attempt) => attempt.status === "rejected").map((attempt) => (attempt as PromiseRejectedResult).reason.status)).toEqual([422, 422]);
    const [row] = await db.select().from(payments).where(eq(payments.id, paymentId));
    expect(row).toMatchObject({ amountRefunded: 800, status: "succeeded" });
  });

  it("marks a fully refunded payment refunded", async () => {
    const { paymentId } = await charge("pm_card_visa", newId("chk"), 700);
    await provider.refund({ paymentId, idempotencyKey: newId("ref") });
    const [row] = await db.select().from(payments).where(eq(payments.id, paymentId));
    expect(row).toMatchObject({ amountRefunded: 700, status: "refunded" });
    await expect(provider.refund({ paymentId, idempotencyKey: newId("ref") })).rejects.toMatchObject({ status: 422 });
  });

  it("refuses to refund an unknown or declined payment, or a key reused for another payment", async () => {
    await expect(provider.refund({ paymentId: "pay_nope", idempotencyKey: newId("ref") })).rejects.toMatchObject({ status: 422 });
    const key = newId("chk");
    await charge("pm_card_chargeDeclined", key).catch(() => undefined);
    const [declined] = await db.select().from(payments).where(eq(payments.idempotencyKey, key));
    await expect(provider.refund({ paymentId: declined?.id ?? "", idempotencyKey: newId("ref") })).rejects.toMatchObject({ status: 422 });
    const refundKey = newId("ref");
    const first = await charge("pm_card_visa");
    const second = await charge("pm_card_visa");
    await provider.refund({ paymentId: first.paymentId, idempotencyKey: refundKey, amount: 1 });
    await expect(provider.refund({ paymentId: second.paymentId, idempotencyKey: refundKey, amount: 1 })).rejects.toMatchObject({ status: 422 });
  });
});
