import { describe, expect, it } from "vitest";
import { signWebhookPayload, verifyWebhookSignature, WebhookSignatureError } from "./webhook-signature";

const secret = "whsec_unit";
const body = JSON.stringify({ id: "evt_1", type: "payment_intent.succeeded" });
const now = 1_800_000_000;

describe("verifyWebhookSignature", () => {
  it("accepts a signature made with the secret over the timestamp and the raw body", async () => {
    await expect(
      verifyWebhookSignature(secret, await signWebhookPayload(secret, body, now), body, now),
    ).resolves.toBeUndefined();
  });

  it("accepts a header listing several v1 signatures when one matches (secret rotation)", async () => {
    const good = await signWebhookPayload(secret, body, now);
    await expect(
      verifyWebhookSignature(secret, `t=${now},v1=${"0".repeat(64)},${good.split(",")[1]}`, body, now),
    ).resolves.toBeUndefined();
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["without a timestamp", `v1=${"a".repeat(64)}`],
    ["without a signature", `t=${now}`],
    ["with a garbage timestamp", `t=abc,v1=${"a".repeat(64)}`],
    ["huge", `t=${now},v1=${"f".repeat(10_000)}`],
  ])("refuses a %s header", async (_label, header) => {
    await expect(verifyWebhookSignature(secret, header, body, now)).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  it("refuses another secret, a tampered body, and a timestamp outside 300 s either way", async () => {
    await expect(
      verifyWebhookSignature(secret, await signWebhookPayload("whsec_other", body, now), body, now),
    ).rejects.toMatchObject({ status: 400, detail: expect.stringMatching(/match/) });
    await expect(
      verifyWebhookSignature(secret, await signWebhookPayload(secret, body, now), body.replace("evt_1", "evt_2"), now),
    ).rejects.toBeInstanceOf(WebhookSignatureError);
    await expect(
      verifyWebhookSignature(secret, await signWebhookPayload(secret, body, now - 301), body, now),
    ).rejects.toMatchObject({ detail: expect.stringMatching(/tolerance/) });
    await expect(
      verifyWebhookSignature(secret, await signWebhookPayload(secret, body, now + 301), body, now),
    ).rejects.toMatchObject({ detail: expect.stringMatching(/tolerance/) });
    await expect(
      verifyWebhookSignature(secret, await signWebhookPayload(secret, body, now - 299), body, now),
    ).resolves.toBeUndefined();
  });
});
