import { describe, expect, it } from "vitest";
import { ORDER_STATUSES } from "../../db/schema";
import { ConflictError } from "../../platform/errors";
import { ALLOWED_TRANSITIONS, assertTransition, canTransition, refundsPayment, returnsStock } from "./order-state";
import { MANUAL_TRANSITIONS } from "./order-transitions";

describe("the order state machine", () => {
  it("allows exactly the moves of the table", () => {
    expect(ALLOWED_TRANSITIONS).toEqual({
      pending: ["paid", "cancelled"],
      paid: ["fulfilled", "partially_shipped", "shipped", "cancelled", "refunded"],
      fulfilled: ["partially_shipped", "shipped", "refunded"],
      partially_shipped: ["shipped", "refunded"],
      shipped: ["delivered", "refunded"],
      delivered: ["refunded"],
      cancelled: [],
      refunded: [],
    });
  });

  it("refuses every other move with a 409 naming the allowed ones", () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        if (canTransition(from, to)) continue;
        expect(() => assertTransition(from, to), `${from} → ${to}`).toThrow(ConflictError);
      }
    }
    expect(() => assertTransition("shipped", "cancelled")).toThrow(
      /shipped cannot become cancelled \(allowed: delivered, refunded\)/,
    );
  });

  it("never cancels after fulfillment", () => {
    for (const from of ["fulfilled", "partially_shipped", "shipped", "delivered"] as const)
      expect(canTransition(from, "cancelled")).toBe(false);
  });

  it("lets a plain status change pick every move but partially_shipped, which only a fulfillment reaches", () => {
    for (const from of ORDER_STATUSES)
      expect(MANUAL_TRANSITIONS[from]).toEqual(ALLOWED_TRANSITIONS[from].filter((to) => to !== "partially_shipped"));
    expect(MANUAL_TRANSITIONS.paid).toEqual(["fulfilled", "shipped", "cancelled", "refunded"]);
  });

  it("returns stock only when nothing left the warehouse, and money whenever it was paid", () => {
    expect(returnsStock("paid", "cancelled")).toBe(true);
    expect(returnsStock("paid", "refunded")).toBe(true);
    expect(returnsStock("shipped", "refunded")).toBe(false);
    expect(refundsPayment("pending", "cancelled")).toBe(false);
    expect(refundsPayment("delivered", "refunded")).toBe(true);
    expect(refundsPayment("paid", "fulfilled")).toBe(false);
  });
});
