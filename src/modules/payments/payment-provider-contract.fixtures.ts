/**
 * The shared contract every PaymentProvider must satisfy (run against the test provider and the
 * Stripe adapter): success, declines with their codes, idempotent retries (and refusal of a key
 * reused with other parameters), refunds that never exceed the charge, and the charge list that
 * reconciliation reads (paged like Stripe's: newest first, at most 100 a page, a cursor), and
 * authorise-then-capture: a manual charge holds the money until one capture (at most what was
 * authorised) takes it or a void releases it; only captured money can be refunded.
 */
import { describe, expect, it } from "vitest";
import { newId } from "../../platform/ids";
import { IDEMPOTENCY_KEY_TTL_MS, type ChargeInput, type PaymentProvider } from "./payment-provider";
import { PaymentDeclinedError, PaymentOutcomeUnknownError, PaymentRejectedError } from "./payments.errors";

export interface ProviderUnderTest {
  provider: PaymentProvider;
  /** How many charges the provider really made. */
  chargesCreated: () => Promise<number>;
  /** Fails a pending refund at the provider (the bank's later "refund.failed"). */
  failRefund: (refundId: string) => Promise<void>;
  /** Moves the provider's clock forward (its idempotency keys are forgotten after 24 h). */
  advanceClock: (ms: number) => void;
  /** The buyer on the provider's authentication page (3-D Secure): completes, or fails. */
  authenticate: (paymentId: string, succeeds: boolean) => Promise<void>;
}

export function describePaymentProviderContract(name: string, setup: () => ProviderUnderTest) {
  const request = (paymentMethod = "pm_card_visa", idempotencyKey = newId("chk"), amount = 2_500): ChargeInput => ({
    amount,
    currency: "EUR",
    paymentMethod,
    idempotencyKey,
    description: `Motor order for ${idempotencyKey}`,
    metadata: { checkoutId: idempotencyKey, orderId: `ord_for_${idempotencyKey}` },
  });
  const charge = (provider: PaymentProvider, paymentMethod?: string, idempotencyKey?: string, amount?: number) =>
    provider.charge(request(paymentMethod, idempotencyKey, amount));
  /** A manual-capture charge: it only authorises. */
  const authorise = (
    provider: PaymentProvider,
    paymentMethod = "pm_card_visa",
    idempotencyKey = newId("chk"),
    amount = 2_500,
  ) => provider.charge({ ...request(paymentMethod, idempotencyKey, amount), captureMethod: "manual" });
  const capture = (provider: PaymentProvider, paymentId: string, amount: number, idempotencyKey = newId("cap")) =>
    provider.capture({ paymentId, amount, idempotencyKey });

  describe(`${name} satisfies the payment provider contract`, () => {
    it("charges pm_card_visa: succeeded, with a payment id", async () => {
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

    it("refuses a key reused with other parameters (amount, description or metadata), charging nothing more", async () => {
      const { provider, chargesCreated } = setup();
      const key = newId("chk");
      await provider.charge(request("pm_card_visa", key));
      const before = await chargesCreated();
      await expect(provider.charge({ ...request("pm_card_visa", key), amount: 2_600 })).rejects.toBeInstanceOf(
        PaymentRejectedError,
      );
      await expect(
        provider.charge({ ...request("pm_card_visa", key), description: "something else" }),
      ).rejects.toBeInstanceOf(PaymentRejectedError);
      await expect(
        provider.charge({ ...request("pm_card_visa", key), metadata: { checkoutId: key, orderId: "ord_other" } }),
      ).rejects.toBeInstanceOf(PaymentRejectedError);
      expect(await chargesCreated()).toBe(before);
    });

    it("lists its charges since a time with the checkout and order they are for and what was refunded", async () => {
      const { provider } = setup();
      const key = newId("chk");
      const since = Date.now() - 60_000;
      const { paymentId } = await charge(provider, "pm_card_visa", key, 3_000);
      await provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 1_000 });
      const listed = (await provider.listCharges({ since, until: Date.now() + 1_000 })).data.find(
        (entry) => entry.paymentId === paymentId,
      );
      expect(listed).toMatchObject({
        checkoutId: key,
        orderId: `ord_for_${key}`,
        amount: 3_000,
        amountRefunded: 1_000,
        currency: "EUR",
        status: "succeeded",
      });
    });

    it("lists charges in pages of at most 100, newest first, within [since, until), each after the previous page's cursor", async () => {
      const { provider } = setup();
      const since = Date.now() - 1_000;
      const created = [];
      for (let index = 0; index < 5; index++)
        created.push((await charge(provider, "pm_card_visa", newId("chk"))).paymentId);
      const until = Date.now() + 1_000;
      const pages = [];
      let cursor: string | undefined;
      do {
        const page = await provider.listCharges({ since, until, limit: 2, cursor });
        expect(page.data.length).toBeLessThanOrEqual(2);
        pages.push(page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && pages.length < 50);
      const listed = pages.flat();
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(new Set(listed.map((entry) => entry.paymentId)).size).toBe(listed.length); // no charge twice
      expect(listed.map((entry) => entry.paymentId)).toEqual(expect.arrayContaining(created));
      expect(listed.map((entry) => entry.createdAt)).toEqual(
        listed.map((entry) => entry.createdAt).sort((a, b) => b - a),
      ); // newest first
      // nothing outside the window: a window that ends before the charges holds none of them
      const before = await provider.listCharges({ since: since - 60_000, until: since });
      expect(before.data.map((entry) => entry.paymentId)).not.toEqual(expect.arrayContaining([created[0]]));
      // Stripe's cap: a page of more than 100 is refused
      await expect(provider.listCharges({ since, until, limit: 101 })).rejects.toBeInstanceOf(PaymentRejectedError);
    });

    it("refuses a refund that would exceed what is left of the charge", async () => {
      const { provider } = setup();
      const { paymentId } = await charge(provider, "pm_card_visa", newId("chk"), 1_000);
      await provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 600 });
      await expect(provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 600 })).rejects.toBeInstanceOf(
        PaymentRejectedError,
      );
    });

    it.each([0, 49, -100, 10.5, Number.MAX_VALUE])(
      "refuses to charge an amount of %s (below the minimum or not an integer) with a 422, charging nothing",
      async (amount) => {
        const { provider, chargesCreated } = setup();
        const before = await chargesCreated();
        await expect(charge(provider, "pm_card_visa", newId("chk"), amount)).rejects.toMatchObject({ status: 422 });
        expect(await chargesCreated()).toBe(before);
      },
    );

    it("refuses a refund of zero, a negative or a fractional amount with a 422", async () => {
      const { provider } = setup();
      const { paymentId } = await charge(provider);
      for (const amount of [0, -1, 0.5])
        await expect(provider.refund({ paymentId, idempotencyKey: newId("ref"), amount })).rejects.toMatchObject({
          status: 422,
        });
    });

    it("answers a 429 re-send after an unknown outcome as unknown, never as refused, and finds the charge by checkout id", async () => {
      const { provider, chargesCreated } = setup();
      const before = await chargesCreated();
      const key = newId("chk");
      await expect(charge(provider, "pm_card_rateLimitedResend", key)).rejects.toBeInstanceOf(
        PaymentOutcomeUnknownError,
      );
      const resend = await charge(provider, "pm_card_rateLimitedResend", key).catch((caught: unknown) => caught);
      expect(resend).toBeInstanceOf(PaymentOutcomeUnknownError);
      expect(resend).toMatchObject({ reason: "rate_limited" });
      expect((await chargesCreated()) - before).toBe(1);
      const found = await provider.findCharge?.(key);
      expect(found).toMatchObject({ checkoutId: key, amount: 2_500, status: "succeeded" });
      expect(await provider.findCharge?.(newId("chk"))).toBeNull();
    });

    it("answers a refund of pm_card_refundPendingFails as pending, lists it, and shows it failed once the bank fails it", async () => {
      const { provider, failRefund } = setup();
      const { paymentId } = await charge(provider, "pm_card_refundPendingFails", newId("chk"), 3_000);
      const key = newId("ref");
      const refund = await provider.refund({ paymentId, idempotencyKey: key });
      expect(refund).toMatchObject({ paymentId, amount: 3_000, status: "pending" });
      expect(await provider.listRefunds?.(paymentId)).toEqual([
        { refundId: refund.refundId, paymentId, amount: 3_000, status: "pending" },
      ]);
      await failRefund(refund.refundId);
      expect(await provider.listRefunds?.(paymentId)).toEqual([
        { refundId: refund.refundId, paymentId, amount: 3_000, status: "failed" },
      ]);
      // the money is back on the charge: a refund under a NEW key goes through (pending again)
      expect(await provider.refund({ paymentId, idempotencyKey: newId("ref") })).toMatchObject({
        amount: 3_000,
        status: "pending",
      });
    });

    it("forgets a key after 24 h: a re-send then charges, and refunds, a second time (so Motor looks up first)", async () => {
      const { provider, chargesCreated, advanceClock } = setup();
      const before = await chargesCreated();
      const key = newId("chk");
      const first = await charge(provider, "pm_card_visa", key, 2_000);
      const refundKey = newId("ref");
      const refund = await provider.refund({ paymentId: first.paymentId, idempotencyKey: refundKey, amount: 500 });
      advanceClock(IDEMPOTENCY_KEY_TTL_MS - 60_000);
      expect((await charge(provider, "pm_card_visa", key, 2_000)).paymentId).toBe(first.paymentId);
      expect(
        (await provider.refund({ paymentId: first.paymentId, idempotencyKey: refundKey, amount: 500 })).refundId,
      ).toBe(refund.refundId);
      advanceClock(60_000);
      const second = await charge(provider, "pm_card_visa", key, 2_000);
      expect(second.paymentId).not.toBe(first.paymentId);
      expect((await chargesCreated()) - before).toBe(2);
      const again = await provider.refund({ paymentId: first.paymentId, idempotencyKey: refundKey, amount: 500 });
      expect(again.refundId).not.toBe(refund.refundId);
      expect((await provider.listRefunds?.(first.paymentId))?.map((held) => held.refundId).sort()).toEqual(
        [refund.refundId, again.refundId].sort(),
      );
    });

    it("answers a payment that needs the buyer with requires_action and where to send them; nothing captured until then", async () => {
      const { provider, authenticate } = setup();
      const key = newId("chk");
      const input = {
        ...request("pm_card_threeDSecureRequired", key, 2_000),
        returnUrl: "https://shop.example/return",
      };
      const first = await provider.charge(input);
      expect(first).toMatchObject({
        status: "requires_action",
        nextAction: { type: "redirect", url: expect.stringMatching(/^https?:\/\//) },
      });
      expect(await provider.retrieveCharge?.(first.paymentId)).toEqual({
        paymentId: first.paymentId,
        status: "requires_action",
      });
      // nothing to refund yet: only captured money can go back
      await expect(
        provider.refund({ paymentId: first.paymentId, idempotencyKey: newId("ref") }),
      ).rejects.toBeInstanceOf(PaymentRejectedError);
      // a re-send under the key answers the same (the first answer is replayed)
      expect(await provider.charge(input)).toMatchObject({ paymentId: first.paymentId, status: "requires_action" });
      await authenticate(first.paymentId, true);
      expect(await provider.retrieveCharge?.(first.paymentId)).toEqual({
        paymentId: first.paymentId,
        status: "succeeded",
      });
      // too late to cancel: the buyer won, the payment is kept
      expect(await provider.cancelCharge?.(first.paymentId)).toEqual({
        paymentId: first.paymentId,
        status: "succeeded",
      });
      expect(await provider.refund({ paymentId: first.paymentId, idempotencyKey: newId("ref") })).toMatchObject({
        amount: 2_000,
      });
    });

    it("fails a payment whose authentication fails (with a reason), and cancels one whose buyer never came", async () => {
      const { provider, authenticate } = setup();
      const failing = await provider.charge({
        ...request("pm_card_threeDSecureFail"),
        returnUrl: "https://shop.example/return",
      });
      await authenticate(failing.paymentId, true);
      expect(await provider.retrieveCharge?.(failing.paymentId)).toMatchObject({
        status: "failed",
        declineCode: expect.stringMatching(/authentication/),
      });
      const abandoned = await provider.charge({
        ...request("pm_card_threeDSecureRequired"),
        returnUrl: "https://shop.example/return",
      });
      expect(await provider.cancelCharge?.(abandoned.paymentId)).toEqual({
        paymentId: abandoned.paymentId,
        status: "canceled",
      });
      await authenticate(abandoned.paymentId, true);
      expect(await provider.retrieveCharge?.(abandoned.paymentId)).toEqual({
        paymentId: abandoned.paymentId,
        status: "canceled",
      });
    });

    it("refunds part of a payment", async () => {
      const { provider } = setup();
      const { paymentId } = await charge(provider, "pm_card_visa", newId("chk"), 4_000);
      expect(await provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 1_500 })).toMatchObject({
        amount: 1_500,
      });
    });

    describe("authorise, then capture (captureMethod manual)", () => {
      it("authorises a manual charge (succeeded, uncaptured), captures less than that, and refunds at most what was captured", async () => {
        const { provider } = setup();
        const result = await authorise(provider, "pm_card_visa", newId("chk"), 3_000);
        expect(result.status).toBe("succeeded");
        const { paymentId } = result;
        expect(await provider.retrieveCharge?.(paymentId)).toEqual({
          paymentId,
          status: "succeeded",
          uncaptured: true,
        });
        expect(await capture(provider, paymentId, 2_000)).toEqual({ paymentId, amountCaptured: 2_000 });
        // captured: nothing is held any more
        expect(await provider.retrieveCharge?.(paymentId)).toMatchObject({ paymentId, status: "succeeded" });
        expect((await provider.retrieveCharge?.(paymentId))?.uncaptured).toBeFalsy();
        // the released 1,000 was never taken: a refund reaches only the 2,000 captured
        await expect(
          provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 2_500 }),
        ).rejects.toBeInstanceOf(PaymentRejectedError);
        expect(await provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 1_500 })).toMatchObject({
          paymentId,
          amount: 1_500,
        });
        await expect(provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 600 })).rejects.toBeInstanceOf(
          PaymentRejectedError,
        );
        // a full refund (no amount) gives back what is left of the capture, not of the authorisation
        expect(await provider.refund({ paymentId, idempotencyKey: newId("ref") })).toMatchObject({
          paymentId,
          amount: 500,
        });
      });

      it("lists and finds an authorised charge as succeeded but uncaptured, and a captured one at what its capture took", async () => {
        const { provider } = setup();
        const key = newId("chk");
        const since = Date.now() - 60_000;
        const { paymentId } = await authorise(provider, "pm_card_visa", key, 3_000);
        const listed = async () =>
          (await provider.listCharges({ since, until: Date.now() + 1_000 })).data.find(
            (entry) => entry.paymentId === paymentId,
          );
        expect(await listed()).toMatchObject({
          checkoutId: key,
          amount: 3_000,
          amountRefunded: 0,
          status: "succeeded",
          uncaptured: true,
        });
        expect(await provider.findCharge?.(key)).toMatchObject({
          paymentId,
          amount: 3_000,
          status: "succeeded",
          uncaptured: true,
        });
        await capture(provider, paymentId, 1_200);
        const captured = await listed();
        expect(captured).toMatchObject({ checkoutId: key, amount: 1_200, status: "succeeded" });
        expect(captured?.uncaptured).toBeFalsy();
        expect(await provider.findCharge?.(key)).toMatchObject({ paymentId, amount: 1_200, status: "succeeded" });
      });

      it("refuses a capture above the authorised amount, taking nothing: a capture within it then goes through", async () => {
        const { provider } = setup();
        const { paymentId } = await authorise(provider, "pm_card_visa", newId("chk"), 2_000);
        await expect(capture(provider, paymentId, 2_001)).rejects.toBeInstanceOf(PaymentRejectedError);
        expect(await provider.retrieveCharge?.(paymentId)).toEqual({
          paymentId,
          status: "succeeded",
          uncaptured: true,
        });
        expect(await capture(provider, paymentId, 2_000)).toEqual({ paymentId, amountCaptured: 2_000 });
      });

      it("captures once: the same key replays its answer, the same key for another amount and a second capture are refused", async () => {
        const { provider } = setup();
        const { paymentId } = await authorise(provider, "pm_card_visa", newId("chk"), 2_500);
        const key = newId("cap");
        const first = await capture(provider, paymentId, 1_000, key);
        expect(first).toEqual({ paymentId, amountCaptured: 1_000 });
        expect(await capture(provider, paymentId, 1_000, key)).toEqual(first);
        await expect(capture(provider, paymentId, 1_500, key)).rejects.toBeInstanceOf(PaymentRejectedError);
        // one capture per payment: what was left of the authorisation was released
        await expect(capture(provider, paymentId, 1_500)).rejects.toBeInstanceOf(PaymentRejectedError);
        expect(await provider.refund({ paymentId, idempotencyKey: newId("ref") })).toMatchObject({ amount: 1_000 });
      });

      it("voids an authorisation: it is cancelled, a capture after it is refused, and a second void (any key) is fine", async () => {
        const { provider } = setup();
        const { paymentId } = await authorise(provider, "pm_card_visa", newId("chk"), 2_500);
        const key = newId("void");
        await provider.voidAuthorization(paymentId, key);
        expect(await provider.retrieveCharge?.(paymentId)).toMatchObject({ paymentId, status: "canceled" });
        await expect(capture(provider, paymentId, 2_500)).rejects.toBeInstanceOf(PaymentRejectedError);
        await expect(provider.voidAuthorization(paymentId, key)).resolves.toBeUndefined();
        await expect(provider.voidAuthorization(paymentId, newId("void"))).resolves.toBeUndefined();
        // nothing was taken: nothing to refund, and reconciliation sees no money
        await expect(provider.refund({ paymentId, idempotencyKey: newId("ref") })).rejects.toBeInstanceOf(
          PaymentRejectedError,
        );
        const listed = (
          await provider.listCharges({ since: Date.now() - 60_000, until: Date.now() + 1_000 })
        ).data.find((entry) => entry.paymentId === paymentId);
        expect(listed?.status).toBe("failed");
      });

      it("refuses to void a captured payment (only a refund gives its money back)", async () => {
        const { provider } = setup();
        const { paymentId } = await authorise(provider, "pm_card_visa", newId("chk"), 2_500);
        await capture(provider, paymentId, 2_500);
        await expect(provider.voidAuthorization(paymentId, newId("void"))).rejects.toBeInstanceOf(PaymentRejectedError);
        expect(await provider.retrieveCharge?.(paymentId)).toMatchObject({ paymentId, status: "succeeded" });
      });

      it("refuses to refund a payment that is only authorised (it is voided instead)", async () => {
        const { provider } = setup();
        const { paymentId } = await authorise(provider, "pm_card_visa", newId("chk"), 2_500);
        await expect(provider.refund({ paymentId, idempotencyKey: newId("ref") })).rejects.toBeInstanceOf(
          PaymentRejectedError,
        );
        await expect(provider.refund({ paymentId, idempotencyKey: newId("ref"), amount: 100 })).rejects.toBeInstanceOf(
          PaymentRejectedError,
        );
        // still authorised, untouched
        expect(await capture(provider, paymentId, 2_500)).toEqual({ paymentId, amountCaptured: 2_500 });
      });

      it("makes captureMethod part of the request: the same key with and without manual is refused, charging nothing more", async () => {
        const { provider, chargesCreated } = setup();
        const key = newId("chk");
        await authorise(provider, "pm_card_visa", key);
        const before = await chargesCreated();
        await expect(charge(provider, "pm_card_visa", key)).rejects.toBeInstanceOf(PaymentRejectedError);
        await expect(
          provider.charge({ ...request("pm_card_visa", key), captureMethod: "automatic" }),
        ).rejects.toBeInstanceOf(PaymentRejectedError);
        expect((await authorise(provider, "pm_card_visa", key)).status).toBe("succeeded");
        const other = newId("chk");
        await charge(provider, "pm_card_visa", other);
        await expect(authorise(provider, "pm_card_visa", other)).rejects.toBeInstanceOf(PaymentRejectedError);
        // an explicit automatic is the same request as none
        expect((await provider.charge({ ...request("pm_card_visa", other), captureMethod: "automatic" })).status).toBe(
          "succeeded",
        );
        expect((await chargesCreated()) - before).toBe(1);
      });

      it("authorises a manual charge once its buyer authenticated; a cancel then keeps it (uncaptured), and it captures", async () => {
        const { provider, authenticate } = setup();
        const first = await provider.charge({
          ...request("pm_card_threeDSecureRequired", newId("chk"), 2_000),
          returnUrl: "https://shop.example/return",
          captureMethod: "manual",
        });
        expect(first.status).toBe("requires_action");
        await authenticate(first.paymentId, true);
        expect(await provider.retrieveCharge?.(first.paymentId)).toEqual({
          paymentId: first.paymentId,
          status: "succeeded",
          uncaptured: true,
        });
        // the window passed, but the buyer authenticated first: the authorisation is kept, not voided
        expect(await provider.cancelCharge?.(first.paymentId)).toEqual({
          paymentId: first.paymentId,
          status: "succeeded",
          uncaptured: true,
        });
        expect(await capture(provider, first.paymentId, 2_000)).toEqual({
          paymentId: first.paymentId,
          amountCaptured: 2_000,
        });
      });
    });
  });
}
