/**
 * The contract every email adapter honours (run by email.local.test.ts and email.http.test.ts):
 * what it sends arrives unchanged, the same idempotency key delivers once, and it refuses a bad
 * recipient or a subject that could inject headers before anything leaves.
 */
import { describe, expect, it } from "vitest";
import { newId } from "../../platform/ids";
import { InvalidEmailError, type EmailAdapter, type EmailMessage } from "./email.adapter";

export interface DeliveredEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface EmailAdapterHarness {
  adapter: () => EmailAdapter;
  /** What reached the recipient's mailbox (the outbox table, or the fake provider at the network boundary). */
  delivered: (to: string) => Promise<DeliveredEmail[]>;
}

const message = (overrides: Partial<EmailMessage> = {}): EmailMessage => ({
  to: `${newId("rcpt").toLowerCase()}@example.test`,
  subject: "Your order ord_1 is confirmed",
  text: "Thank you",
  html: "<p>Thank you</p>",
  idempotencyKey: newId("idem"),
  ...overrides,
});

export function emailAdapterContract(name: string, harness: EmailAdapterHarness) {
  describe(`${name} email adapter (shared contract)`, () => {
    it("delivers the recipient, subject, text and HTML unchanged", async () => {
      const email = message();
      await harness.adapter().send(email);
      expect(await harness.delivered(email.to)).toEqual([
        { to: email.to, subject: email.subject, text: email.text, html: email.html },
      ]);
    });

    it("delivers once when the same idempotency key is sent twice", async () => {
      const email = message();
      await harness.adapter().send(email);
      await harness.adapter().send(email);
      expect(await harness.delivered(email.to)).toHaveLength(1);
    });

    it("delivers twice for two different keys", async () => {
      const email = message();
      await harness.adapter().send(email);
      await harness.adapter().send({ ...email, idempotencyKey: newId("idem") });
      expect(await harness.delivered(email.to)).toHaveLength(2);
    });

    it.each([
      ["a recipient without @", { to: "not-an-address" }],
      ["a recipient with a display-name injection", { to: "a@example.test>, <b@evil.test" }],
      ["a subject with a header injection", { subject: "Hi\r\nBcc: victim@example.test" }],
      ["a huge subject", { subject: "x".repeat(10_000) }],
    ])("refuses %s before sending anything", async (_label, overrides) => {
      const email = message(overrides);
      await expect(harness.adapter().send(email)).rejects.toBeInstanceOf(InvalidEmailError);
      expect(await harness.delivered(email.to)).toEqual([]);
    });
  });
}
