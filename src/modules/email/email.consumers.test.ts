import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { jobMessage, quietly } from "../../../test/helpers/queue";
import { configOf } from "../../env";
import { newId } from "../../platform/ids";
import { resetTokenFor } from "../identity/derived-secrets";
import { RESET_EVENT_VERSION } from "../identity/password-reset.service";
import { handleQueueBatch } from "../../queues";
import type { JobMessage } from "../../queues/messages";

type Inbox = { data: { to: string; subject: string; text: string; html: string; createdAt: string }[] };

const resetRequested = (data: Record<string, unknown>) =>
  jobMessage("user.password_reset_requested", data, { version: RESET_EVENT_VERSION });
const recipient = () => `${newId("buyer").toLowerCase()}@example.test`;

async function deliver(...bodies: JobMessage[]) {
  const batch = createMessageBatch<JobMessage>(
    "motor-jobs",
    bodies.map((body) => ({ id: body.id, timestamp: new Date(), attempts: 1, body })),
  );
  await quietly(() => handleQueueBatch(batch, env));
  return getQueueResult(batch, createExecutionContext());
}

async function inbox(to: string) {
  const admin = await createUser("admin");
  const { status, body } = await callJson<Inbox>(`/v1/admin/emails?to=${encodeURIComponent(to)}`, {
    token: admin.token,
  });
  expect(status).toBe(200);
  return body.data;
}

const orderCreated = (email: string) =>
  jobMessage("order.created", {
    orderId: newId("ord"),
    userId: null,
    email,
    currency: "EUR",
    total: { amount: 2599, currency: "EUR" },
    lines: [{ sku: "CLASSIC-TEE-M", title: "Classic tee", quantity: 1, unitPrice: 1999, total: 1999 }],
  });

describe("email consumers (through the queue handler)", () => {
  it("order.created sends an order confirmation with the order id, lines and total", async () => {
    const to = recipient();
    const event = orderCreated(to);
    const result = await deliver(event);
    expect(result.explicitAcks).toEqual([event.id]);
    const [email] = await inbox(to);
    expect(email?.subject).toContain(String(event.data.orderId));
    expect(email?.text).toContain("CLASSIC-TEE-M");
    expect(email?.text).toContain("25.99 EUR");
    expect(Date.parse(email?.createdAt ?? "")).not.toBeNaN();
  });

  it("a redelivered event sends the email once", async () => {
    const to = recipient();
    const event = orderCreated(to);
    await deliver(event);
    await deliver(event);
    expect(await inbox(to)).toHaveLength(1);
  });

  it("user.password_reset_requested (a reference) sends the link the consumer builds from it", async () => {
    const to = recipient();
    const resetTokenId = newId("prt");
    await deliver(resetRequested({ userId: newId("usr"), email: to, resetTokenId }));
    const [email] = await inbox(to);
    const resetUrl = `${configOf(env).PUBLIC_BASE_URL}/reset-password?token=${await resetTokenFor(env, resetTokenId)}`;
    expect(email?.text).toContain(resetUrl);
    expect(email?.html).toContain(resetUrl);
  });

  it("order.cancelled and order.shipped send their emails", async () => {
    const to = recipient();
    // the orders module sends `reason: null` and may send null tracking fields
    await deliver(
      jobMessage("order.cancelled", { orderId: "ord_c", email: to, reason: null }),
      jobMessage("order.shipped", { orderId: "ord_s", email: to, carrier: null, trackingNumber: "1Z" }),
    );
    const subjects = (await inbox(to)).map((email) => email.subject).sort();
    expect(subjects).toEqual(["Your order ord_c was cancelled", "Your order ord_s has shipped"]);
  });

  it("order.shipped without a parcel (the units left were refunded) sends nothing", async () => {
    const to = recipient();
    await deliver(jobMessage("order.shipped", { orderId: "ord_n", email: to, lines: [] }));
    expect(await inbox(to)).toEqual([]);
  });

  it("order.refund_issued sends the refund email; one without its amount is refused, not sent broken", async () => {
    const to = recipient();
    await deliver(
      jobMessage("order.refund_issued", {
        orderId: "ord_r",
        email: to,
        currency: "EUR",
        amount: 1250,
        reason: "damaged",
        lines: [{ sku: "TEE-S", title: "Tee", quantity: 1 }],
      }),
    );
    expect((await inbox(to)).map((email) => email.subject)).toEqual(["A refund of 12.50 EUR for your order ord_r"]);
    const broken = recipient();
    await deliver(jobMessage("order.refund_issued", { orderId: "ord_r2", email: broken, currency: "EUR", lines: [] }));
    expect(await inbox(broken)).toEqual([]);
  });

  it.each([
    [
      "a payload without lines",
      (to: string) =>
        jobMessage("order.created", { orderId: "ord_x", email: to, currency: "EUR", total: 1, lines: [] }),
    ],
    [
      "a version-1 reset event (the link, token in clear)",
      (to: string) =>
        jobMessage("user.password_reset_requested", {
          email: to,
          resetUrl: "https://motor.example/reset-password?token=abc",
        }),
    ],
    ["a reset event without a reference", (to: string) => resetRequested({ email: to })],
    [
      "a reset event with a forged reference",
      (to: string) => resetRequested({ email: to, resetTokenId: "../../admin" }),
    ],
    ["an unknown event version", (to: string) => ({ ...orderCreated(to), version: 2 })],
  ])("retries (then dead-letters) %s instead of sending a broken email", async (_label, build) => {
    const to = recipient();
    const event = build(to);
    const result = await deliver(event);
    expect(result.retryMessages).toEqual([{ msgId: expect.any(String) }]);
    expect(await inbox(to)).toEqual([]);
  });
});

describe("GET /v1/admin/emails", () => {
  it("requires a token (401) and the emails:read permission (403)", async () => {
    expect((await callJson("/v1/admin/emails")).status).toBe(401);
    for (const role of ["customer", "staff"] as const) {
      const user = await createUser(role);
      expect((await callJson("/v1/admin/emails", { token: user.token })).status).toBe(403);
    }
  });

  it("filters by recipient case-insensitively, newest first, and pages with a cursor", async () => {
    const to = recipient();
    await deliver(jobMessage("order.cancelled", { orderId: "ord_1", email: to }));
    await deliver(jobMessage("order.cancelled", { orderId: "ord_2", email: to }));
    const admin = await createUser("admin");
    const first = await callJson<Inbox & { nextCursor: string }>(`/v1/admin/emails?limit=1&to=${to.toUpperCase()}`, {
      token: admin.token,
    });
    expect(first.body.data).toHaveLength(1);
    expect(first.body.data[0]?.to).toBe(to);
    const second = await callJson<Inbox & { nextCursor: string | null }>(
      `/v1/admin/emails?limit=1&to=${to}&cursor=${first.body.nextCursor}`,
      { token: admin.token },
    );
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect([first.body.data[0]?.subject, second.body.data[0]?.subject]).toEqual(
      expect.arrayContaining(["Your order ord_1 was cancelled", "Your order ord_2 was cancelled"]),
    );
  });

  it("answers bad query input with 400", async () => {
    const admin = await createUser("admin");
    for (const query of ["limit=abc", "limit=1000", "cursor=%%%", `to=${"a".repeat(300)}`]) {
      const { status, response } = await callJson(`/v1/admin/emails?${query}`, { token: admin.token });
      expect(status, query).toBe(400);
      expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    }
  });
});
