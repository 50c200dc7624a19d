import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { ServerTimings } from "../../platform/timing";
import { paymentProviderFor } from "./payments.service";

describe("paymentProviderFor", () => {
  it("builds the test provider by default and the Stripe adapter when configured", () => {
    expect(paymentProviderFor(env, configOf(env)).name).toBe("test");
    expect(
      paymentProviderFor({ ...env, STRIPE_SECRET_KEY: "sk_test_x" }, { ...configOf(env), PAYMENT_PROVIDER: "stripe" })
        .name,
    ).toBe("stripe");
  });

  it("answers 503 when Stripe is chosen without a secret key", () => {
    expect(() =>
      paymentProviderFor({ ...env, STRIPE_SECRET_KEY: undefined }, { ...configOf(env), PAYMENT_PROVIDER: "stripe" }),
    ).toThrow(expect.objectContaining({ status: 503 }));
  });

  it("times charges and refunds as `payment` in Server-Timing", async () => {
    const timings = new ServerTimings();
    const provider = paymentProviderFor(env, configOf(env), timings);
    const charge = (paymentMethod: string) => ({
      amount: 100,
      currency: "EUR" as const,
      paymentMethod,
      idempotencyKey: newId("chk"),
      description: "Motor order",
      metadata: { checkoutId: "chk_x", orderId: "ord_x" },
    });
    const { paymentId } = await provider.charge(charge("pm_card_visa"));
    await provider.refund({ paymentId, idempotencyKey: newId("ref") });
    await expect(provider.charge(charge("pm_card_chargeDeclined"))).rejects.toMatchObject({ status: 402 });
    expect(timings.count("payment")).toBe(3);
    expect(timings.header(1)).toMatch(/payment;dur=/);
  });
});
