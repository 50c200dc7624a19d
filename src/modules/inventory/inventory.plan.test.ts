import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { createStockedSku, inventoryRow, testDb } from "../../../test/helpers/inventory";
import { auditLog } from "../../db/schema";
import { newId } from "../../platform/ids";
import { reserveStock } from "./inventory.service";

const path = (sku: string) => `/v1/admin/inventory/${encodeURIComponent(sku)}/shards`;

describe("PUT /v1/admin/inventory/{sku}/shards", () => {
  it("splits the stock over K shards, records the plan and an audit row, and GET keeps the totals", async () => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(20);
    await reserveStock(env, newId("chk"), [{ sku, quantity: 4 }], 60_000);
    const { status, body } = await callJson(path(sku), { method: "PUT", token: admin.token, body: { shards: 4 } });
    expect(status).toBe(200);
    expect(body).toEqual({
      sku,
      shards: 4,
      span: 4,
      stock: [
        { shard: 0, stock: 8, reserved: 4, available: 4 },
        { shard: 1, stock: 4, reserved: 0, available: 4 },
        { shard: 2, stock: 4, reserved: 0, available: 4 },
        { shard: 3, stock: 4, reserved: 0, available: 4 },
      ],
    });
    expect(await inventoryRow(sku)).toMatchObject({ shards: 4, shardSpan: 4 });
    const audits = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subject, sku), eq(auditLog.action, "inventory.set_shards")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: admin.id, details: { shards: 4 } });
    const totals = await callJson(`/v1/admin/inventory/${sku}`, { token: admin.token });
    expect(totals.body).toEqual({ sku, onHand: 20, reserved: 4, available: 16 });
  });

  it("lowering K keeps span and brings the retired shards' free stock home", async () => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(9);
    await callJson(path(sku), { method: "PUT", token: admin.token, body: { shards: 3 } });
    const { status, body } = await callJson<{ shards: number; span: number; stock: { stock: number }[] }>(path(sku), {
      method: "PUT",
      token: admin.token,
      body: { shards: 1 },
    });
    expect(status).toBe(200);
    expect({ shards: body.shards, span: body.span, stock: body.stock.map((level) => level.stock) }).toEqual({
      shards: 1,
      span: 3,
      stock: [9, 0, 0],
    });
  });

  it.each([
    ["zero", { shards: 0 }],
    ["above the maximum", { shards: 17 }],
    ["fractional", { shards: 1.5 }],
    ["a string", { shards: "4" }],
    ["missing", {}],
    ["with unknown fields", { shards: 2, onHand: 5 }],
  ])("answers 400 when shards is %s", async (_label, body) => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(1);
    expect((await callJson(path(sku), { method: "PUT", token: admin.token, body })).status).toBe(400);
    expect((await inventoryRow(sku))?.shards).toBe(1);
  });

  it("answers 400 to malformed JSON and to a hostile SKU, 404 to an unknown SKU", async () => {
    const admin = await createUser("admin");
    const sku = await createStockedSku(1);
    expect((await callJson(path(sku), { method: "PUT", token: admin.token, body: "{shards:" })).status).toBe(400);
    expect(
      (await callJson(path("'; DROP TABLE inventory;--"), { method: "PUT", token: admin.token, body: { shards: 2 } }))
        .status,
    ).toBe(400);
    expect(
      (await callJson(path("NO-SUCH-SKU-3"), { method: "PUT", token: admin.token, body: { shards: 2 } })).status,
    ).toBe(404);
  });

  it("is for admins: 401 without a token, 403 to staff and customers", async () => {
    const sku = await createStockedSku(1);
    const [staff, customer] = [await createUser("staff"), await createUser("customer")];
    expect((await callJson(path(sku), { method: "PUT", body: { shards: 2 } })).status).toBe(401);
    expect((await callJson(path(sku), { method: "PUT", token: staff.token, body: { shards: 2 } })).status).toBe(403);
    expect((await callJson(path(sku), { method: "PUT", token: customer.token, body: { shards: 2 } })).status).toBe(403);
  });
});
