/**
 * Email templates: each renders a subject, a plain-text body and an HTML body from an event's
 * payload. Text is sent as is; HTML escapes every value that came from a user or a producer
 * (names, titles, SKUs, URLs), so a product titled `<script>` stays text.
 */
import { escapeHtml, formatMoney, layout } from "./email.markup";
import type { OrderCancelledData, OrderCreatedData, OrderShippedData } from "./email.events";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function orderConfirmationEmail(order: OrderCreatedData): RenderedEmail {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const textLines = order.lines.map((line) => `- ${line.quantity} × ${line.title} (${line.sku}): ${money(line.total)}`);
  const htmlRows = order.lines
    .map((line) => `<tr><td>${line.quantity} × ${escapeHtml(line.title)} (${escapeHtml(line.sku)})</td><td>${escapeHtml(money(line.total))}</td></tr>`)
    .join("");
  const subject = `Your order ${order.orderId} is confirmed`;
  return {
    subject,
    text: [`Thank you for your order ${order.orderId}.`, "", ...textLines, "", `Total: ${money(order.total)}`].join("\n"),
    html: layout(
      subject,
      `<p>Thank you for your order <strong>${escapeHtml(order.orderId)}</strong>.</p><table>${htmlRows}</table><p>Total: <strong>${escapeHtml(money(order.total))}</strong></p>`,
    ),
  };
}

/** The reset link is built by the consumer at send time; it exists in clear only in this email. */
export function passwordResetEmail(reset: { resetUrl: string }): RenderedEmail {
  const subject = "Reset your Motor password";
  return {
    subject,
    text: ["Someone asked to reset the password of this account.", `Open this link to choose a new one (it works once, and expires soon):`, reset.resetUrl, "", "If it was not you, ignore this email."].join("\n"),
    html: layout(
      subject,
      `<p>Someone asked to reset the password of this account.</p><p><a href="${escapeHtml(reset.resetUrl)}">Choose a new password</a> (the link works once, and expires soon).</p><p>If it was not you, ignore this email.</p>`,
    ),
  };
}

export function orderCancelledEmail(order: OrderCancelledData): RenderedEmail {
  const subject = `Your order ${order.orderId} was cancelled`;
  const reason = order.reason ? `Reason: ${order.reason}` : "";
  return {
    subject,
    text: [`Your order ${order.orderId} was cancelled.`, reason, "Any payment taken is refunded."].filter(Boolean).join("\n"),
    html: layout(
      subject,
      `<p>Your order <strong>${escapeHtml(order.orderId)}</strong> was cancelled.</p>${reason ? `<p>${escapeHtml(reason)}</p>` : ""}<p>Any payment taken is refunded.</p>`,
    ),
  };
}

export function orderShippedEmail(order: OrderShippedData): RenderedEmail {
  const subject = `Your order ${order.orderId} has shipped`;
  const tracking = order.trackingNumber ? `Tracking: ${[order.carrier, order.trackingNumber].filter(Boolean).join(" ")}` : "";
  return {
    subject,
    text: [`Your order ${order.orderId} is on its way.`, tracking].filter(Boolean).join("\n"),
    html: layout(subject, `<p>Your order <strong>${escapeHtml(order.orderId)}</strong> is on its way.</p>${tracking ? `<p>${escapeHtml(tracking)}</p>` : ""}`),
  };
}
