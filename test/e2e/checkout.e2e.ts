// Checkout, orders and idempotency over HTTP against wrangler dev, on the seeded demo catalog.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { request } from "./http";

const ADDRESS = { country: "ES", postalCode: "28001", city: "Madrid", line1: "Calle Mayor 1" };
let buyerCount = 0;
const buyer = () => ({ "CF-Connecting-IP": `10.77.${(buyerCount >> 8) & 255}.${buyerCount++ & 255}` });

async function readyCart(sku: string, token?: string) {
  const headers = buyer();
  const cart = await request("/v1/carts", { method: "POST", json: { country: "ES" }, token, headers });
  expect(cart.status).toBe(201);
  const id = cart.body.id as string;
  expect(
    (await request(`/v1/carts/${id}/items`, { method: "POST", json: { sku, quantity: 1 }, token, headers })).status,
  ).toBe(200);
  expect(
    (
      await request(`/v1/carts/${id}`, {
        method: "PATCH",
        json: { email: "e2e@example.test", shippingAddress: ADDRESS },
        token,
        headers,
      })
    ).status,
  ).toBe(200);
  return id;
}

const checkout = (cartId: string, options: { key?: string; token?: string; paymentMethod?: string } = {}) =>
  request("/v1/checkout", {
    method: "POST",
    json: { cartId, paymentMethod: options.paymentMethod ?? "pm_card_visa" },
    token: options.token,
    headers: { ...buyer(), "Idempotency-Key": options.key ?? randomUUID() },
  });

async function register() {
  const email = `e2e-${randomUUID()}@example.test`;
  const answer = await request("/v1/auth/register", {
    method: "POST",
    json: { email, password: "a long e2e passphrase", name: "E2E" },
    headers: buyer(),
  });
  expect(answer.status).toBe(201);
  return answer.body.accessToken as string;
}

describe("checkout over HTTP", () => {
  it("buys a seeded product as a guest, replays the answer for the same key, and shows Server-Timing per dependency", async () => {
    const cartId = await readyCart("CLASSIC-TEE-M");
    const key = randomUUID();
    const first = await checkout(cartId, { key });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "paid", lines: [{ sku: "CLASSIC-TEE-M", quantity: 1 }] });
    expect(first.headers.get("server-timing")).toMatch(/d1;dur=.*do;dur=|do;dur=.*d1;dur=/);
    const again = await checkout(cartId, { key });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
  });

  it("requires the Idempotency-Key", async () => {
    const cartId = await readyCart("CLASSIC-TEE-L");
    const answer = await request("/v1/checkout", {
      method: "POST",
      json: { cartId, paymentMethod: "pm_card_visa" },
      headers: buyer(),
    });
    expect(answer.status).toBe(400);
  });

  it("answers 402 problem+json to a declined card", async () => {
    const cartId = await readyCart("CLASSIC-TEE-L");
    const answer = await checkout(cartId, { paymentMethod: "pm_card_chargeDeclined" });
    expect(answer.status).toBe(402);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
  });

  it("lets a signed-in buyer see and cancel the order; a stranger gets 404", async () => {
    const [token, stranger] = await Promise.all([register(), register()]);
    const cartId = await readyCart("CLASSIC-TEE-M", token);
    const order = await checkout(cartId, { token });
    expect(order.status).toBe(201);
    const id = order.body.id as string;
    expect((await request(`/v1/orders/${id}`, { token })).status).toBe(200);
    expect((await request(`/v1/orders/${id}`, { token: stranger })).status).toBe(404);
    expect((await request(`/v1/orders/${id}`)).status).toBe(404);
    const mine = await request("/v1/orders", { token });
    expect((mine.body.data as { id: string }[]).map((item) => item.id)).toContain(id);
    const cancelled = await request(`/v1/orders/${id}/cancel`, {
      method: "POST",
      token,
      headers: { "Idempotency-Key": randomUUID() },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
  });
});

describe("money safety over HTTP", () => {
  const adminToken = async () => {
    const { status, body } = await request("/v1/auth/login", {
      method: "POST",
      json: { email: "admin@motor.local", password: "motor-admin-local" },
    });
    expect(status).toBe(200);
    return body.accessToken as string;
  };

  it("a lost provider answer is 503 payment-outcome-unknown; the retry with the key completes, one charge in the test ledger", async () => {
    const cartId = await readyCart("CLASSIC-TEE-M");
    const key = randomUUID();
    const first = await checkout(cartId, { key, paymentMethod: "pm_card_lostResponse" });
    expect(first.status).toBe(503);
    expect(first.body.type).toContain("payment-outcome-unknown");
    expect(first.headers.get("retry-after")).toBe("5");
    const retry = await checkout(cartId, { key, paymentMethod: "pm_card_lostResponse" });
    expect(retry.status).toBe(201);
    const ledger = await request("/v1/admin/payments/test-ledger?limit=100", { token: await adminToken() });
    expect(ledger.status).toBe(200);
    const entries = (ledger.body.data as { orderId: string; kind: string }[]).filter(
      (entry) => entry.orderId === retry.body.id,
    );
    let cursor = ledger.body.nextCursor as string | null;
    while (cursor) {
      const page = await request(`/v1/admin/payments/test-ledger?limit=100&cursor=${cursor}`, {
        token: await adminToken(),
      });
      entries.push(
        ...(page.body.data as { orderId: string; kind: string }[]).filter((entry) => entry.orderId === retry.body.id),
      );
      cursor = page.body.nextCursor as string | null;
    }
    expect(entries.map((entry) => entry.kind)).toEqual(["charge"]);
  });

  it("a second checkout of the same cart with another key while the first is unresolved is a 409 with Retry-After", async () => {
    const cartId = await readyCart("CLASSIC-TEE-L");
    expect((await checkout(cartId, { paymentMethod: "pm_card_timeout" })).status).toBe(503);
    const other = await checkout(cartId);
    expect(other.status).toBe(409);
    expect(other.headers.get("retry-after")).toBe("5");
  });
});

describe("the merchant's order desk over HTTP", () => {
  it("ships a parcel with tracking, refunds a unit, and shows it in the staff view (answers checked against /openapi.json)", async () => {
    const login = await request("/v1/auth/login", {
      method: "POST",
      json: { email: "admin@motor.local", password: "motor-admin-local" },
      headers: buyer(),
    });
    expect(login.status).toBe(200);
    const admin = login.body.accessToken as string;
    const order = await checkout(await readyCart("CLASSIC-TEE-M"));
    const id = order.body.id as string;
    const parcel = await request(`/v1/admin/orders/${id}/fulfillments`, {
      method: "POST",
      token: admin,
      json: { carrier: "DHL", trackingNumber: "E2E-1", trackingUrl: "https://dhl.example/E2E-1" },
    });
    expect(parcel.status).toBe(201);
    expect(parcel.body.orderStatus).toBe("shipped");
    const refund = await request(`/v1/admin/orders/${id}/refunds`, {
      method: "POST",
      token: admin,
      json: { lines: [{ sku: "CLASSIC-TEE-M", quantity: 1 }], reason: "returned", restock: true },
      headers: { "Idempotency-Key": randomUUID() },
    });
    expect(refund.status).toBe(201);
    const view = await request(`/v1/admin/orders/${id}`, { token: admin });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      status: "shipped",
      fulfillments: [{ trackingNumber: "E2E-1" }],
      refunds: [{ id: refund.body.id, status: "succeeded" }],
    });
  });
});

describe("a payment that waits for the buyer (3-D Secure) over HTTP", () => {
  it("answers 202, the test bank's page authenticates, and its queued webhook alone completes the order (the tab is gone)", async () => {
    const cartId = await readyCart("CLASSIC-TEE-M");
    const returnUrl = "http://localhost:3000/checkout/return";
    const started = await request("/v1/checkout", {
      method: "POST",
      json: { cartId, paymentMethod: "pm_card_threeDSecureRequired", returnUrl },
      headers: { ...buyer(), "Idempotency-Key": randomUUID() },
    });
    expect(started.status).toBe(202);
    const { checkoutId, nextAction } = started.body as { checkoutId: string; nextAction: { url: string } };
    // the page is the provider's, not the API's: plain fetch, no contract check
    const page = await fetch(nextAction.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Complete");
    const back = await fetch(`${nextAction.url}/complete`, { method: "POST", redirect: "manual" });
    expect(back.status).toBe(303);
    expect(back.headers.get("location")).toMatch(/^http:\/\/localhost:3000\/checkout\/return\?payment_intent=pay_/);
    // nobody calls complete: the provider's webhook goes through the JOBS queue and finishes it
    let status = await request(`/v1/checkouts/${checkoutId}`);
    for (let tries = 0; status.body.status !== "completed" && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await request(`/v1/checkouts/${checkoutId}`);
    }
    expect(status.body).toMatchObject({ id: checkoutId, status: "completed", orderId: expect.stringMatching(/^ord_/) });
  });
});
