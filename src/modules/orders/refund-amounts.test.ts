import { describe, expect, it } from "vitest";
import { paidPerLine, planRefund, type RefundableLine } from "./refund-amounts";

// As the cart priced it: 3 lines, a 10 % discount shared out, US sales tax (exclusive) per line.
const order = { total: 2893 + 1929 + 1477 + 799, shipping: 799, taxInclusive: false };
const lines: RefundableLine[] = [
  { sku: "A", quantity: 3, total: 2997, discount: 300, tax: 196 }, // paid 2893
  { sku: "B", quantity: 1, total: 1999, discount: 200, tax: 130 }, // paid 1929
  { sku: "C", quantity: 2, total: 1500, discount: 150, tax: 127 }, // paid 1477
];
const goods = 2893 + 1929 + 1477;

describe("what each line's buyer paid", () => {
  it("is the line total less its discount share plus its own tax when tax is exclusive", () => {
    expect(Object.fromEntries(paidPerLine(order, lines))).toEqual({ A: 2893, B: 1929, C: 1477 });
  });

  it("leaves an inclusive tax inside the line total", () => {
    expect(paidPerLine({ ...order, taxInclusive: true }, [lines[0] as RefundableLine]).get("A")).toBe(2997 - 300);
  });

  it("shares an older order's goods amount out by line totals, to the last cent", () => {
    const legacy = lines.map((line) => ({ ...line, discount: null, tax: null }));
    const shares = paidPerLine({ total: 1000 + 799, shipping: 799, taxInclusive: false }, legacy);
    expect([...shares.values()].reduce((sum, share) => sum + share, 0)).toBe(1000);
    expect(Object.fromEntries(shares)).toEqual({ A: 461, B: 308, C: 231 });
  });
});

describe("a line refund", () => {
  it("gives back the line's share to the cent, shipping excluded", () => {
    expect(planRefund(order, lines, [], { lines: [{ sku: "B", quantity: 1 }] })).toEqual({
      amount: 1929,
      lines: [{ sku: "B", quantity: 1 }],
    });
  });

  it("unit by unit adds up to exactly what the line was paid", () => {
    const refunds: { amount: number; lines: { sku: string; quantity: number }[] }[] = [];
    for (let unit = 0; unit < 3; unit += 1) {
      const plan = planRefund(order, lines, refunds, { lines: [{ sku: "A", quantity: 1 }] });
      refunds.push(plan);
    }
    expect(refunds.map((refund) => refund.amount)).toEqual([964, 965, 964]);
    expect(refunds.reduce((sum, refund) => sum + refund.amount, 0)).toBe(2893);
  });

  it("of every line leaves exactly the shipping, which a refund of everything left returns", () => {
    const byLines = planRefund(order, lines, [], { lines: lines.map(({ sku, quantity }) => ({ sku, quantity })) });
    expect(byLines.amount).toBe(goods);
    expect(planRefund(order, lines, [byLines], {})).toEqual({ amount: 799, lines: [] });
  });

  it("takes a given amount instead of the share", () => {
    expect(planRefund(order, lines, [], { lines: [{ sku: "C", quantity: 1 }], amount: 300 }).amount).toBe(300);
  });
});

describe("refusals", () => {
  it("a SKU that is not in the order is a 422 naming it", () => {
    expect(() => planRefund(order, lines, [], { lines: [{ sku: "ZZZ", quantity: 1 }] })).toThrow(
      expect.objectContaining({ status: 422, detail: "SKU ZZZ is not in this order" }),
    );
  });

  it("more units than are left to refund is a 422", () => {
    const earlier = [{ amount: 964, lines: [{ sku: "A", quantity: 1 }] }];
    expect(() => planRefund(order, lines, earlier, { lines: [{ sku: "A", quantity: 3 }] })).toThrow(
      expect.objectContaining({ status: 422, detail: "Only 2 unit(s) of A are left to refund" }),
    );
  });

  it("an amount beyond what is left of the capture is a 422 that says how much is left", () => {
    const earlier = [{ amount: 6900, lines: null }];
    expect(() => planRefund(order, lines, earlier, { amount: 199 })).toThrow(
      expect.objectContaining({ status: 422, extensions: { refundable: 198 } }),
    );
    expect(planRefund(order, lines, earlier, { amount: 198 }).amount).toBe(198);
  });

  it("an order refunded in full refuses any further refund with a 409", () => {
    expect(() => planRefund(order, lines, [{ amount: order.total, lines: null }], {})).toThrow(
      expect.objectContaining({ status: 409 }),
    );
  });
});
