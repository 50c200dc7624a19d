import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createStockedSku, inventoryRow, testDb } from "../../../test/helpers/inventory";
import { auditLog, inventory, outboxEvents } from "../../db/schema";
import { newId } from "../../platform/ids";
import { reserveStock, stockLockFor } from "./inventory.service";

const path = (sku: string) => `/v1/admin/inventory/${encodeURIComponent(sku)}`;

describe("GET /v1/admin/inventory/{sku}", () => {
  it("answers on hand, reserved and available to staff", async () => {
    const staff = await createUser("staff");
    const sku = await createStockedSku(7);
    await reserveStock(env, newId("chk"), [{ sku, quantity: 3 }], 60_000);
    const { status, body, response } = await callJson(path(sku), { token: staff.token });
    expect(status).toBe(200);
    expect(body).toEqual({ sku, onHand: 7, reserved: 3, available: 4 });
    expect(response.headers.get("Server-Timing")).toMatch(/do;dur=/);
  });

  it("answers 404 for an unknown SKU and 400 for a hostile one", async () => {
    const staff = await createUser("staff");
    expect((await callJson(path("NO-SUCH-SKU"), { token: staff.token })).status).toBe(404);
    expect((await callJson(path("x".repeat(65)), { token: staff.token })).status).toBe(400);
    expect((await callJson(path("'; DROP TABLE inventory;--"), { token: staff.token })).status).toBe(400);
  });

  it("answers 401 without a token and 403 to a customer", async () => {
    const sku = await createStockedSku(1);
    const customer = await createUser("customer");
    expect((await callJson(path(sku))).status).toBe(401);
    expect((await callJson(path(sku), { token: customer.token })).status).toBe(403);
  });
});

describe("PUT /v1/admin/inventory/{sku}", () => {
  it("sets on hand in D1, in the lock, with an audit row and an inventory.changed event", async () => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(2);
    await reserveStock(env, newId("chk"), [{ sku, quantity: 2 }], 60_000);
    const { status, body } = await callJson(path(sku), { method: "PUT", token: admin.token, body: { onHand: 10 } });
    expect(status).toBe(200);
    expect(body).toEqual({ sku, onHand: 10, reserved: 2, available: 8 });
    expect((await inventoryRow(sku))?.onHand).toBe(10);
    // the lock sells the new stock at once
    expect((await stockLockFor(env, sku).reserve(sku, newId("chk"), 8, Date.now() + 60_000)).ok).toBe(true);
    const audits = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subject, sku), eq(auditLog.action, "inventory.set_on_hand")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: admin.id, details: { previousOnHand: 2, onHand: 10 } });
    const events = await testDb().select().from(outboxEvents).where(eq(outboxEvents.type, "inventory.changed"));
    expect(events.map((event) => event.data)).toContainEqual({ sku, previousOnHand: 2, onHand: 10 });
  });

  it("creates the stock row of a variant that had none", async () => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(0);
    await testDb().delete(inventory).where(eq(inventory.sku, sku));
    const { status, body } = await callJson(path(sku), { method: "PUT", token: admin.token, body: { onHand: 4 } });
    expect(status).toBe(200);
    expect(body).toEqual({ sku, onHand: 4, reserved: 0, available: 4 });
  });

  it.each([
    ["negative", { onHand: -1 }],
    ["fractional", { onHand: 1.5 }],
    ["huge", { onHand: 1e12 }],
    ["a string", { onHand: "5" }],
    ["missing", {}],
    ["with unknown fields", { onHand: 1, reserved: 0 }],
  ])("answers 400 when onHand is %s", async (_label, body) => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(1);
    const answer = await callJson<{ errors: unknown[] }>(path(sku), { method: "PUT", token: admin.token, body });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.length).toBeGreaterThan(0);
    expect((await inventoryRow(sku))?.onHand).toBe(1);
  });

  it("answers 400 to malformed JSON", async () => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(1);
    expect((await callJson(path(sku), { method: "PUT", token: admin.token, body: "{onHand:" })).status).toBe(400);
  });

  it("answers 404 for an unknown SKU, 401 without a token, 403 to a customer", async () => {
    const admin = await createUser("admin");
    const customer = await createUser("customer");
    const sku = await createStockedSku(1);
    expect(
      (await callJson(path("NO-SUCH-SKU-2"), { method: "PUT", token: admin.token, body: { onHand: 1 } })).status,
    ).toBe(404);
    expect((await callJson(path(sku), { method: "PUT", body: { onHand: 1 } })).status).toBe(401);
    expect((await callJson(path(sku), { method: "PUT", token: customer.token, body: { onHand: 1 } })).status).toBe(403);
  });
});
