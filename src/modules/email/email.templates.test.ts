import { describe, expect, it } from "vitest";
import { escapeHtml, formatMoney } from "./email.markup";
import { orderCancelledEmail, orderConfirmationEmail, orderShippedEmail, passwordResetEmail } from "./email.templates";

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
    const shipped = orderShippedEmail({ orderId: "ord_9", email: "a@example.test", carrier: "UPS", trackingNumber: hostile });
    expect(shipped.subject).toContain("shipped");
    expect(shipped.text).toContain(`UPS ${hostile}`);
    expect(shipped.html).not.toContain("<script>");
  });

  it("formats minor units and escapes every special character", () => {
    expect([formatMoney(5, "USD"), formatMoney(123456, "EUR"), formatMoney(-250, "EUR")]).toEqual(["0.05 USD", "1234.56 EUR", "-2.50 EUR"]);
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});
