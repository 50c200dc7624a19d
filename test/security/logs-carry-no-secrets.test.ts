/**
 * Logs never carry passwords, tokens, reset links, signing secrets or card numbers. One full
 * session runs through the real Worker entry — sign-up, a failed and a good sign-in, refresh, a
 * cart and a paid checkout, a card number pasted where it does not belong, a reset by email,
 * a webhook endpoint, sign-out — and everything written to the console is scanned for each secret.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser } from "../helpers/auth";
import { call, callJson } from "../helpers/http";
import { batchOf, queueMessage } from "../helpers/queue";
import { captureConsole, placesHolding } from "../helpers/secrets-scan";
import { createSellableSku, ensurePricingRules } from "../helpers/cart";
import { handleQueueBatch } from "../../src/queues";
import type { JobMessage } from "../../src/queues/messages";

afterEach(() => vi.restoreAllMocks());
beforeAll(ensurePricingRules);

type Session = { accessToken: string; refreshToken: string; user: { id: string } };
const ip = { "CF-Connecting-IP": "10.201.0.1" };
const post = <T>(path: string, body: unknown, options: { token?: string; headers?: Record<string, string> } = {}) =>
  callJson<T>(path, { method: "POST", body, token: options.token, headers: { ...ip, ...options.headers } });

describe("logs of a full session", () => {
  it("hold no password, token, reset link, signing secret or card number", async () => {
    const logs = captureConsole();
    const secrets: string[] = [];
    const email = `log-scan-${crypto.randomUUID()}@example.test`;
    const password = "correct horse battery staple";
    const wrongPassword = "tr0ub4dor&3 wrong guess";
    const newPassword = "a freshly chosen passphrase";
    const card = "4242424242424242";
    secrets.push(password, wrongPassword, newPassword, card);

    const registered = await post<Session>("/v1/auth/register", { email, password, name: "Log Scan" });
    expect(registered.status).toBe(201);
    expect((await post("/v1/auth/login", { email, password: wrongPassword })).status).toBe(401);
    const signedIn = await post<Session>("/v1/auth/login", { email, password });
    const refreshed = await post<Session>("/v1/auth/refresh", { refreshToken: signedIn.body.refreshToken });
    secrets.push(
      registered.body.accessToken,
      registered.body.refreshToken,
      signedIn.body.accessToken,
      signedIn.body.refreshToken,
      refreshed.body.accessToken,
      refreshed.body.refreshToken,
    );
    const token = refreshed.body.accessToken;
    expect((await callJson("/v1/me", { token, headers: ip })).status).toBe(200);

    const sku = await createSellableSku();
    const cart = await post<{ id: string }>("/v1/carts", { country: "ES" }, { token });
    await post(`/v1/carts/${cart.body.id}/items`, { sku, quantity: 1 }, { token });
    await callJson(`/v1/carts/${cart.body.id}`, {
      method: "PATCH",
      token,
      headers: ip,
      body: { email, shippingAddress: { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" } },
    });
    expect(
      (
        await post(
          "/v1/checkout",
          { cartId: cart.body.id, paymentMethod: card },
          { token, headers: { "Idempotency-Key": crypto.randomUUID() } },
        )
      ).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (
        await post(
          "/v1/checkout",
          { cartId: cart.body.id, paymentMethod: "pm_card_visa" },
          { token, headers: { "Idempotency-Key": crypto.randomUUID() } },
        )
      ).status,
    ).toBe(201);

    expect((await post("/v1/auth/password/forgot", { email })).status).toBe(202);
    const row = await env.DB.prepare(
      "SELECT id, type, version, data, occurred_at FROM outbox_events WHERE type = " +
        "'user.password_reset_requested' AND json_extract(data, '$.email') = ?",
    )
      .bind(email)
      .first<{ id: string; type: string; version: number; data: string; occurred_at: number }>();
    const event: JobMessage = {
      id: row!.id,
      type: row!.type,
      version: row!.version,
      occurredAt: row!.occurred_at,
      data: JSON.parse(row!.data) as Record<string, unknown>,
    };
    await handleQueueBatch(batchOf("motor-jobs", queueMessage(event).message), env);
    const admin = await createUser("admin");
    const inbox = await callJson<{ data: { text: string }[] }>(`/v1/admin/emails?to=${encodeURIComponent(email)}`, {
      token: admin.token,
    });
    const link = /(http\S+\/reset-password\?token=\S+)/.exec(inbox.body.data.map((sent) => sent.text).join("\n"))![1]!;
    const resetToken = decodeURIComponent(new URL(link).searchParams.get("token")!);
    secrets.push(link, resetToken, admin.token);
    // the storefront's page
    expect((await call(`/reset-password?token=${encodeURIComponent(resetToken)}`, { headers: ip })).status).toBe(200);
    expect((await post("/v1/auth/password/reset", { token: resetToken, password: newPassword })).status).toBe(204);
    expect((await post("/v1/auth/password/reset", { token: resetToken, password: newPassword })).status).toBe(400);

    const hook = await post<{ secret: string }>(
      "/v1/admin/webhooks",
      { url: "https://hooks.example.test/motor", events: ["order.created"] },
      { token: admin.token },
    );
    secrets.push(hook.body.secret);
    expect((await post("/v1/auth/logout", { refreshToken: refreshed.body.refreshToken })).status).toBe(204);
    expect((await callJson("/v1/me", { headers: { ...ip, Authorization: `Bearer ${token}x` } })).status).toBe(401);

    expect(logs.text()).toContain('"msg":"request"'); // the scan reads real log lines
    expect(placesHolding({ logs: logs.text() }, secrets)).toEqual([]);
  });
});
