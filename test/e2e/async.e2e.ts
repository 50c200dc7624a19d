// Async work end to end under `wrangler dev`: the request publishes its outbox events at once
// (waitUntil), the local queue consumer sends the email through the local adapter, and an admin
// reads it at GET /v1/admin/emails — no cron involved (wrangler dev does not fire crons by itself).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { baseUrl, request } from "./http";

const ADMIN = { email: "admin@motor.local", password: "motor-admin-local" };

type Email = { to: string; subject: string; text: string; html: string; createdAt: string };

async function adminToken(): Promise<string> {
  const { status, body } = await request("/v1/auth/login", { method: "POST", json: ADMIN });
  expect(status).toBe(200);
  return String(body.accessToken);
}

/** Polls the local outbox until an email for `to` matches, or fails after `timeoutMs`. */
async function waitForEmail(
  token: string,
  to: string,
  matches: (email: Email) => boolean,
  timeoutMs = 15_000,
): Promise<Email> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { status, body } = await request(`/v1/admin/emails?to=${encodeURIComponent(to)}&limit=100`, { token });
    expect(status).toBe(200);
    const found = (body.data as Email[]).find(matches);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no matching email to ${to} within ${timeoutMs} ms`);
}

function resetTokenIn(email: Email): string {
  const link = /https?:\/\/\S+token=\S+/.exec(email.text)?.[0] ?? "";
  return new URL(link).searchParams.get("token") ?? "";
}

describe("async work over HTTP (wrangler dev)", () => {
  it("a password reset for the seeded admin arrives in the local outbox within seconds, with a token= link", async () => {
    const token = await adminToken();
    const since = Date.now() - 1_000;
    const forgot = await request("/v1/auth/password/forgot", { method: "POST", json: { email: ADMIN.email } });
    expect(forgot.status).toBe(202);
    const email = await waitForEmail(
      token,
      ADMIN.email,
      (candidate) => candidate.text.includes("token=") && Date.parse(candidate.createdAt) >= since,
    );
    expect(resetTokenIn(email)).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(email.html).toContain("token=");
  });

  it("the emailed reset link works exactly once", async () => {
    // a fresh account, so the seeded admin's password stays what the other tests expect
    const user = { email: `reset-${randomUUID()}@example.test`, password: "first-Passw0rd-123", name: "Reset Tester" };
    expect((await request("/v1/auth/register", { method: "POST", json: user })).status).toBe(201);
    expect((await request("/v1/auth/password/forgot", { method: "POST", json: { email: user.email } })).status).toBe(
      202,
    );
    const email = await waitForEmail(await adminToken(), user.email, (candidate) => candidate.text.includes("token="));
    const resetToken = resetTokenIn(email);
    const password = "second-Passw0rd-456";
    const reset = await request("/v1/auth/password/reset", { method: "POST", json: { token: resetToken, password } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(204);
    expect(
      (
        await request("/v1/auth/password/reset", {
          method: "POST",
          json: { token: resetToken, password: "third-Passw0rd-789" },
        })
      ).status,
    ).toBe(400);
    expect((await request("/v1/auth/login", { method: "POST", json: { email: user.email, password } })).status).toBe(
      200,
    );
  });

  it("a checkout produces an order confirmation in the local outbox within seconds", async () => {
    const token = await adminToken();
    const buyer = `buyer-${randomUUID()}@example.test`;
    const cart = await request("/v1/carts", { method: "POST", json: { currency: "EUR", country: "ES" } });
    expect(cart.status).toBe(201);
    const cartId = String(cart.body.id);
    expect(
      (await request(`/v1/carts/${cartId}/items`, { method: "POST", json: { sku: "CLASSIC-TEE-M", quantity: 1 } }))
        .status,
    ).toBe(200);
    const shippingAddress = { country: "ES", region: "M", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" };
    expect(
      (await request(`/v1/carts/${cartId}`, { method: "PATCH", json: { email: buyer, shippingAddress } })).status,
    ).toBe(200);
    const order = await request("/v1/checkout", {
      method: "POST",
      json: { cartId, paymentMethod: "pm_card_visa" },
      headers: { "Idempotency-Key": randomUUID() },
    });
    expect(order.status).toBe(201);
    const email = await waitForEmail(token, buyer, (candidate) => candidate.subject.includes(String(order.body.id)));
    expect(email.text).toContain("CLASSIC-TEE-M");
  });

  it("runs the crons when triggered (wrangler dev does not fire them on its own): the daily report appears", async () => {
    const token = await adminToken();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const trigger = await fetch(`${baseUrl()}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("0 3 * * *")}`);
    expect(trigger.status).toBe(200);
    const report = await request(`/v1/admin/reports/daily?date=${yesterday}`, { token });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ date: yesterday, orders: expect.any(Number), revenue: expect.any(Array) });
    expect((await fetch(`${baseUrl()}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("* * * * *")}`)).status).toBe(
      200,
    );
  });

  it("serves the async admin endpoints: dead letters, reports, webhooks with SSRF checks", async () => {
    const token = await adminToken();
    const failed = await request("/v1/admin/jobs/failed", { token });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ data: expect.any(Array), nextCursor: null });
    expect((await request("/v1/admin/reports/daily?date=2001-01-01", { token })).status).toBe(404);
    expect((await request("/v1/admin/reports/daily?date=tomorrow", { token })).status).toBe(400);
    const ssrf = await request("/v1/admin/webhooks", {
      method: "POST",
      token,
      json: { url: "http://169.254.169.254/", events: ["order.created"] },
    });
    expect(ssrf.status).toBe(400);
  });
});
