import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../test/helpers/auth";
import { callJson } from "../../../test/helpers/http";
import { DAILY, handleScheduled } from "../../cron";
import { createDatabase } from "../../db/client";
import { orderLines, orders } from "../../db/schema";
import { newId } from "../../platform/ids";

const db = () => createDatabase(env.DB);

async function placeOrder(
  at: number,
  currency: string,
  lines: { sku: string; quantity: number; total: number }[],
  status: "paid" | "cancelled" = "paid",
) {
  const id = newId("ord");
  const total = lines.reduce((sum, line) => sum + line.total, 0);
  await db().batch([
    db()
      .insert(orders)
      .values({
        id,
        email: "buyer@example.test",
        currency,
        subtotal: total,
        tax: Math.round(total / 10),
        total,
        status,
        checkoutId: newId("chk"),
        createdAt: at,
        updatedAt: at,
      }),
    db()
      .insert(orderLines)
      .values(
        lines.map((line) => ({
          orderId: id,
          sku: line.sku,
          title: line.sku,
          quantity: line.quantity,
          unitPrice: line.total / line.quantity,
          total: line.total,
        })),
      ),
  ]);
}

const runDaily = (scheduledTime: number) =>
  handleScheduled(createScheduledController({ cron: DAILY, scheduledTime }), env);

describe("daily sales report", () => {
  it("the 03:00 cron stores the previous UTC day's report, served at GET /v1/admin/reports/daily", async () => {
    const day = Date.UTC(2024, 1, 29);
    await placeOrder(day + 1_000, "EUR", [{ sku: "TEE-M", quantity: 2, total: 4000 }]);
    await placeOrder(day + 86_399_000, "USD", [{ sku: "MUG", quantity: 1, total: 1200 }]);
    await placeOrder(day + 5_000, "EUR", [{ sku: "TEE-M", quantity: 9, total: 9000 }], "cancelled");
    await placeOrder(day - 1, "EUR", [{ sku: "YESTERDAY", quantity: 1, total: 100 }]);
    await placeOrder(day + 86_400_000, "EUR", [{ sku: "TOMORROW", quantity: 1, total: 100 }]);
    await runDaily(day + 86_400_000 + 3 * 3_600_000);
    const staff = await createUser("staff");
    const { status, body } = await callJson("/v1/admin/reports/daily?date=2024-02-29", { token: staff.token });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      date: "2024-02-29",
      orders: 2,
      revenue: [
        { currency: "EUR", amount: 4000 },
        { currency: "USD", amount: 1200 },
      ],
      taxCollected: [
        { currency: "EUR", amount: 400 },
        { currency: "USD", amount: 120 },
      ],
      topSkus: [
        { sku: "TEE-M", quantity: 2 },
        { sku: "MUG", quantity: 1 },
      ],
      computedAt: expect.any(String),
    });
  });

  it("running the cron again recomputes the same day in place (upsert)", async () => {
    const day = Date.UTC(2023, 5, 10);
    await placeOrder(day + 1_000, "EUR", [{ sku: "A", quantity: 1, total: 100 }]);
    await runDaily(day + 86_400_000 + 1);
    await placeOrder(day + 2_000, "EUR", [{ sku: "A", quantity: 1, total: 100 }]);
    await runDaily(day + 86_400_000 + 2);
    const admin = await createUser("admin");
    const { body } = await callJson("/v1/admin/reports/daily?date=2023-06-10", { token: admin.token });
    expect(body).toMatchObject({ orders: 2, revenue: [{ currency: "EUR", amount: 200 }] });
  });

  it("a day without orders gets an empty report", async () => {
    await runDaily(Date.UTC(2022, 0, 2, 3));
    const admin = await createUser("admin");
    const { status, body } = await callJson("/v1/admin/reports/daily?date=2022-01-01", { token: admin.token });
    expect(status).toBe(200);
    expect(body).toMatchObject({ orders: 0, revenue: [], taxCollected: [], topSkus: [] });
  });

  it("answers 404 for a date not computed, 400 for a bad date, 401/403 without the permission", async () => {
    const staff = await createUser("staff");
    expect((await callJson("/v1/admin/reports/daily?date=1999-01-01", { token: staff.token })).status).toBe(404);
    for (const date of ["2024-02-30", "2023-02-29", "24-01-01", "yesterday", "2024-1-1", ""]) {
      expect((await callJson(`/v1/admin/reports/daily?date=${date}`, { token: staff.token })).status, date).toBe(400);
    }
    expect((await callJson("/v1/admin/reports/daily", { token: staff.token })).status).toBe(400);
    expect((await callJson("/v1/admin/reports/daily?date=2024-02-29")).status).toBe(401);
    const customer = await createUser("customer");
    expect((await callJson("/v1/admin/reports/daily?date=2024-02-29", { token: customer.token })).status).toBe(403);
  });
});
