// Inventory admin and payment webhooks over HTTP against `wrangler dev` with the seeded catalog:
// the real bindings, the real Durable Object, the generated local secrets.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "./http";

const ADMIN = { email: "admin@motor.local", password: "motor-admin-local" };
const SKU = "MERINO-SWEATER-L";
let token = "";
let originalOnHand = 0;

function devVar(name: string): string {
  const line = readFileSync(new URL("../../.dev.vars", import.meta.url), "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}=`));
  // values may be single- or double-quoted (scripts/dev-secrets.mjs)
  return (line?.slice(name.length + 1) ?? "").replace(/^(['"])(.*)\1$/, "$2");
}

function sign(body: string, secret = devVar("TEST_PAYMENT_WEBHOOK_SECRET"), t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

beforeAll(async () => {
  const login = await request("/v1/auth/login", { method: "POST", json: ADMIN });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  token = String(login.body.accessToken);
  originalOnHand = Number((await request(`/v1/admin/inventory/${SKU}`, { token })).body.onHand);
});

afterAll(async () => {
  await request(`/v1/admin/inventory/${SKU}`, { method: "PUT", token, json: { onHand: originalOnHand } });
});

describe("admin inventory over HTTP", () => {
  it("reads and sets a seeded SKU's stock", async () => {
    const before = await request(`/v1/admin/inventory/${SKU}`, { token });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      sku: SKU,
      onHand: expect.any(Number),
      reserved: expect.any(Number),
      available: expect.any(Number),
    });
    const set = await request(`/v1/admin/inventory/${SKU}`, {
      method: "PUT",
      token,
      json: { onHand: originalOnHand + 5 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ sku: SKU, onHand: originalOnHand + 5 });
    expect((await request(`/v1/admin/inventory/${SKU}`, { token })).body.onHand).toBe(originalOnHand + 5);
  });

  it("answers problems for bad input, unknown SKUs and missing auth", async () => {
    const bad = await request(`/v1/admin/inventory/${SKU}`, { method: "PUT", token, json: { onHand: -3 } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("Content-Type")).toContain("application/problem+json");
    expect(
      (
        await request(`/v1/admin/inventory/${SKU}`, {
          method: "PUT",
          token,
          headers: { "Content-Type": "application/json" },
          body: "{",
        })
      ).status,
    ).toBe(400);
    expect((await request("/v1/admin/inventory/NO-SUCH-SKU", { token })).status).toBe(404);
    expect((await request(`/v1/admin/inventory/${SKU}`)).status).toBe(401);
  });
});

describe("payment webhooks over HTTP", () => {
  const event = () =>
    JSON.stringify({
      id: `evt_${randomUUID()}`,
      type: "payment_intent.succeeded",
      data: { object: { id: "pay_unknown", amount: 100, currency: "eur" } },
    });

  it("accepts a signed test-provider event once and acknowledges its redelivery", async () => {
    const body = event();
    const headers = { "Content-Type": "application/json", "Motor-Test-Signature": sign(body) };
    const first = await request("/v1/webhooks/payments/test", { method: "POST", headers, body });
    expect(first).toMatchObject({ status: 200, body: { received: true, duplicate: false } });
    const again = await request("/v1/webhooks/payments/test", { method: "POST", headers, body });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
  });

  it("refuses a forged signature with 400 and an unknown provider with 404", async () => {
    const body = event();
    const forged = await request("/v1/webhooks/payments/test", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Motor-Test-Signature": sign(body, "whsec_forged") },
      body,
    });
    expect(forged.status).toBe(400);
    expect(
      (
        await request("/v1/webhooks/payments/paypal", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        })
      ).status,
    ).toBe(404);
  });
});
