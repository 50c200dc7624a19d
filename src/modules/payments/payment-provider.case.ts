/**
 * The shared contract every PaymentProvider must satisfy (run against the test provider and the
 * Stripe adapter): success, declines with their codes, idempotent retries, refunds.
 */
import { describe, expect, it } from "vitest";
import { newId } from "../../platform/ids";
import type { PaymentProvider } from "./payment-provider";
import { PaymentDeclinedError } from "./payments.errors";

export interface ProviderUnderTest {
  provider: PaymentProvider;
  /** How many charges the provider really made. */
  chargesCreated: () => Promise<number>;
}

export function describePaymentProviderContract(name: string, setup: () => ProviderUnderTest) {
  const charge = (provider: PaymentProvider, paymentMethod = "pm_card_visa", idempotencyKey = newId("chk"), amount = 2_500) =>
    provider.charge({ amount, currency: "EUR", paymentMethod, idempotencyKey, description: "Order test" });

  describe(`${name} satisfies the payment provider contract`, () => {
    it("charges pm_card_visa", async () => {
      const { provider } = setup();
      const result = await charge(provider);
      expect(result.status).toBe("succeeded");
      expect(result.paymentId).toMatch(/^\w+_\w+$/);
    });

    it.each([
      ["pm_card_chargeDeclined", /decline/],
      ["pm_card_insufficientFunds", /^insufficient_funds$/],
    ])("declines %s with a 402 and a decline code", async (paymentMethod, code) => {
      const { provider } = setup();
      const error = await charge(provider, paymentMethod).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PaymentDeclinedError);
      expect(error).toMatchObject({ status: 402, declineCode: expect.stringMatching(code) });
    });

    it("charges once for one idempotency key, even when retried at once", async () => {
      const { provider, chargesCreated } = setup();
      const before = await chargesCreated();
      const key = newId("chk");
      const first = await charge(provider, "pm_card_visa", key);
      const retries = await Promise.all(Array.from({ length: 5 }, () => charge(provider, "pm_card_visa", key)));
      expect(new Set(retries.map((retry) => retry.paymentId))).toEqual(new Set([first.paymentId]));
      expect((await chargesCreated()) - before).toBe(1);
    });

    it("answers a retried decline with the same decline", async () => {
      const { provider } = setup();
      const key = newId("chk");
      await expect(charge(provider, "pm_card_chargeDeclined", key)).rejects.toBeInstanceOf(PaymentDeclinedError);
      await expect(charge(provider, "pm_card_chargeDeclined", key)).rejects.toBeInstanceOf(PaymentDeclinedError);
    });

    it("refunds a payment in full, once per refund key", async () => {
      const { provider } = setup();
      const { paymentId } = await charge(provider, "pm_card_visa", newId("chk"), 4_000);
      const key = newId("ref");
      const refund = await provider.refund({ paymentId, idempotencyKey: key });
      expect(refund).toMatchObject({ paymentId, amount: 4_000, status: "succeeded" });
      expect((await provider.refund({ paymentId, idempotencyKey: key })).refundId).toBe(refund.refundId);
    });

    it.each([0, -100, 10.5, Number.MAX_VALUE])("refuses to charge an amount of %s with a 422, charging nothing", async (amount) => {
      const { provider, chargesCreated } = setup();
      const before = await chargesCreated();
      await expect(charge(provider, "pm_card_visa", newId("chk"), amount)).rejects.toMatchObject({ status: 422 });
      expect(await chargesCreated()).toBe(before);
    });

    it("refuses a refund of zero, a negative or a fractional amount with a 422", async () => {
      const { provider } = setup();
      const { paymentId } = await charge(provider);
      for (const amount of [0, -1, 0.5]) await expect(provider.refund({ paymentId, idempotencyKey: newId("ref"), amount })).rejects.toMatchObject({ status: 422 });
    });

    it("refunds part of a payment", async () => {
      const { provider } = setup();
      const { paymentId } = await charge(provider, "pm_card_visa", newId("chk"), 4_000);
      expect(await provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 1_500 })).toMatchObject({ amount: 1_500 });
    });
  });
}
