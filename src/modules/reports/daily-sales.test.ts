import { describe, expect, it } from "vitest";
import { aggregateDailySales, previousUtcDate, utcDayRange } from "./daily-sales";

const order = (id: string, currency: string, total: number, tax: number, status = "paid") => ({
  id,
  currency,
  total,
  tax,
  status,
});

describe("daily sales aggregation", () => {
  it("counts standing orders, sums revenue and tax per currency, ranks SKUs by units", () => {
    const report = aggregateDailySales(
      "2026-11-24",
      [
        order("o1", "EUR", 2000, 347),
        order("o2", "USD", 1500, 120, "shipped"),
        order("o3", "EUR", 1000, 174, "delivered"),
      ],
      [
        { orderId: "o1", sku: "TEE", quantity: 2, total: 2000 },
        { orderId: "o2", sku: "MUG", quantity: 3, total: 1500 },
        { orderId: "o3", sku: "TEE", quantity: 1, total: 1000 },
      ],
    );
    expect(report).toEqual({
      date: "2026-11-24",
      orders: 3,
      revenue: [
        { currency: "EUR", amount: 3000 },
        { currency: "USD", amount: 1500 },
      ],
      taxCollected: [
        { currency: "EUR", amount: 521 },
        { currency: "USD", amount: 120 },
      ],
      topSkus: [
        { sku: "MUG", quantity: 3 },
        { sku: "TEE", quantity: 3 },
      ],
    });
  });

  it("leaves out pending, cancelled and refunded orders and their lines", () => {
    const report = aggregateDailySales(
      "2026-11-24",
      [
        order("p", "EUR", 100, 0, "pending"),
        order("c", "EUR", 100, 0, "cancelled"),
        order("r", "EUR", 100, 0, "refunded"),
      ],
      [{ orderId: "c", sku: "TEE", quantity: 5, total: 100 }],
    );
    expect(report).toEqual({ date: "2026-11-24", orders: 0, revenue: [], taxCollected: [], topSkus: [] });
  });

  it("keeps the ten best-selling SKUs", () => {
    const lines = Array.from({ length: 12 }, (_, index) => ({
      orderId: "o",
      sku: `SKU-${String(index).padStart(2, "0")}`,
      quantity: index + 1,
      total: 1,
    }));
    const report = aggregateDailySales("2026-11-24", [order("o", "EUR", 12, 0)], lines);
    expect(report.topSkus).toHaveLength(10);
    expect(report.topSkus[0]).toEqual({ sku: "SKU-11", quantity: 12 });
  });

  it("works in UTC days", () => {
    expect(utcDayRange("2026-11-24")).toEqual({ start: Date.UTC(2026, 10, 24), end: Date.UTC(2026, 10, 25) });
    expect(previousUtcDate(Date.UTC(2026, 10, 25, 3))).toBe("2026-11-24");
    expect(previousUtcDate(Date.UTC(2026, 0, 1, 0, 0, 1))).toBe("2025-12-31");
  });
});
