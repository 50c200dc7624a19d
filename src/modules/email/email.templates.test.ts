import { describe, expect, it } from "vitest";
import { escapeHtml, formatMoney } from "./email.markup";
import {
  orderCancelledEmail,
  orderConfirmationEmail,
  orderRefundIssuedEmail,
  orderShippedEmail,
  passwordResetEmail,
} from "./email.templates";

const hostile = `<script>alert("x")</script>`;

const order = {
  orderId: "ord_123",
  email: "buyer@example.test",
  currency: "EUR",
  total: 4598,
  lines: [
    { sku: "CLASSIC-TEE-M", title: "Classic tee", quantity: 2, unitPrice: 1999, total: 3998 },
    { sku: "MUG-1", title: hostile, quantity: 1, unitPrice: 600, total: 600 },
  ],
};

describe("email templates", () => {
  it("order confirmation names the order, every line and the total, in text and HTML", () => {
    const email = orderConfirmationEmail(order);
    expect(email.subject).toContain("ord_123");
    for (const body of [email.text, email.html]) {
      expect(body).toContain("ord_123");
      expect(body).toContain("CLASSIC-TEE-M");
      expect(body).toContain("39.98 EUR");
      expect(body).toContain("45.98 EUR");
    }
  });

  it("escapes user content in HTML and keeps it verbatim in text", () => {
    const email = orderConfirmationEmail(order);
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(email.text).toContain(hostile);
  });

  it("password reset carries the one-time link, escaped inside the HTML attribute", () => {
    const resetUrl = `https://motor.example/reset?token=abc&x="><script>`;
    const email = passwordResetEmail({ resetUrl });
    expect(email.text).toContain(resetUrl);
    expect(email.html).toContain(`href="https://motor.example/reset?token=abc&amp;x=&quot;&gt;&lt;script&gt;"`);
    expect(email.html).not.toContain("<script>");
  });

  it("cancellation and shipped emails name the order and escape the reason and tracking", () => {
    const cancelled = orderCancelledEmail({ orderId: "ord_9", email: "a@example.test", reason: hostile });
    expect(cancelled.subject).toContain("ord_9");
    expect(cancelled.text).toContain("cancelled");
    expect(cancelled.html).not.toContain("<script>");
    const shipped = orderShippedEmail({
      orderId: "ord_9",
      email: "a@example.test",
      carrier: "UPS",
      trackingNumber: hostile,
    });
    expect(shipped.subject).toContain("shipped");
    expect(shipped.text).toContain(`UPS ${hostile}`);
    expect(shipped.html).not.toContain("<script>");
  });

  it("formats minor units and escapes every special character", () => {
    expect([formatMoney(5, "USD"), formatMoney(123456, "EUR"), formatMoney(-250, "EUR")]).toEqual([
      "0.05 USD",
      "1234.56 EUR",
      "-2.50 EUR",
    ]);
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });

  it("order confirmation shows the shipping and billing addresses, recipient and phone included, escaped in HTML", () => {
    const email = orderConfirmationEmail({
      ...order,
      shippingAddress: {
        name: "Ana García",
        company: hostile,
        line1: "Calle Mayor 1",
        line2: "3º B",
        postalCode: "28013",
        city: "Madrid",
        country: "ES",
        phone: "+34912345678",
      },
      billingAddress: { name: "Ana Billing", line1: "Gran Vía 2", postalCode: "28014", city: "Madrid", country: "ES" },
    });
    for (const body of [email.text, email.html]) {
      for (const part of [
        "Ship to",
        "Ana García",
        "Calle Mayor 1",
        "3º B",
        "28013 Madrid",
        "+34912345678",
        "Bill to",
        "Ana Billing",
        "Gran Vía 2",
      ])
        expect(body).toContain(part);
    }
    expect(email.html).not.toContain("<script>");
    expect(email.text).toContain(hostile);
  });

  it("cancellation names the refunded amount when the event carries it", () => {
    const cancelled = orderCancelledEmail({ orderId: "ord_9", email: "a@example.test", currency: "EUR", total: 4598 });
    expect(cancelled.text).toContain("45.98 EUR is refunded");
    expect(cancelled.html).toContain("45.98 EUR is refunded");
  });

  it("cancellation after a partial refund names what this cancel sends back, not the order total", () => {
    const cancelled = orderCancelledEmail({
      orderId: "ord_9",
      email: "a@example.test",
      currency: "EUR",
      total: 4598,
      refundAmount: 3000,
    });
    expect(cancelled.text).toContain("30.00 EUR is refunded");
  });

  it("a parcel's email lists its units, the carrier and tracking number, and links the https tracking page", () => {
    const shipped = orderShippedEmail({
      orderId: "ord_7",
      email: "a@example.test",
      carrier: "DHL",
      trackingNumber: "JD0001",
      trackingUrl: "https://dhl.example/t?n=JD0001&x=1",
      partial: true,
      lines: [{ sku: "MUG-1", title: hostile, quantity: 1 }],
    });
    expect(shipped.subject).toBe("Part of your order ord_7 has shipped");
    expect(shipped.text).toContain(`- 1 × ${hostile} (MUG-1)`);
    expect(shipped.text).toContain("Tracking: DHL JD0001");
    expect(shipped.html).toContain(`href="https://dhl.example/t?n=JD0001&amp;x=1"`);
    expect(shipped.html).not.toContain(hostile);
  });

  it("a refund's email names the amount, the units and the reason, escaped in HTML", () => {
    const refund = orderRefundIssuedEmail({
      orderId: "ord_8",
      email: "a@example.test",
      currency: "USD",
      amount: 1929,
      reason: hostile,
      lines: [{ sku: "TEE-S", title: "Tee", quantity: 2 }],
    });
    expect(refund.subject).toBe("A refund of 19.29 USD for your order ord_8");
    expect(refund.text).toContain("- 2 × Tee (TEE-S)");
    expect(refund.text).toContain(`Reason: ${hostile}`);
    expect(refund.html).toContain(escapeHtml(`Reason: ${hostile}`));
    expect(refund.html).not.toContain(hostile);
  });
});
