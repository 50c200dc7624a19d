/**
 * Email templates: each renders a subject, a plain-text body and an HTML body from an event's
 * payload. Text is sent as is; HTML escapes every value that came from a user or a producer
 * (names, titles, SKUs, URLs), so a product titled `<script>` stays text.
 */
import { addressLines, escapeHtml, formatMoney, layout } from "./email.markup";
import type {
  AddressData,
  OrderCancelledData,
  OrderCreatedData,
  OrderRefundIssuedData,
  OrderShippedData,
} from "./email.events";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** "Ship to" / "Bill to" blocks of the addresses an order carries, as text and escaped HTML. */
function addressBlocks(order: OrderCreatedData): { text: string[]; html: string } {
  const blocks = [
    ["Ship to", order.shippingAddress],
    ["Bill to", order.billingAddress],
  ].filter((entry): entry is [string, AddressData] => Boolean(entry[1]));
  return {
    text: blocks.flatMap(([heading, address]) => ["", `${heading}:`, ...addressLines(address)]),
    html: blocks
      .map(
        ([heading, address]) =>
          `<p><strong>${heading}</strong><br>${addressLines(address).map(escapeHtml).join("<br>")}</p>`,
      )
      .join(""),
  };
}

export function orderConfirmationEmail(order: OrderCreatedData): RenderedEmail {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const addresses = addressBlocks(order);
  const textLines = order.lines.map((line) => `- ${line.quantity} × ${line.title} (${line.sku}): ${money(line.total)}`);
  const htmlRows = order.lines
    .map(
      (line) =>
        `<tr><td>${line.quantity} × ${escapeHtml(line.title)} (${escapeHtml(line.sku)})</td>` +
        `<td>${escapeHtml(money(line.total))}</td></tr>`,
    )
    .join("");
  const subject = `Your order ${order.orderId} is confirmed`;
  return {
    subject,
    text: [
      `Thank you for your order ${order.orderId}.`,
      "",
      ...textLines,
      "",
      `Total: ${money(order.total)}`,
      ...addresses.text,
    ].join("\n"),
    html: layout(
      subject,
      `<p>Thank you for your order ` +
        `<strong>${escapeHtml(order.orderId)}</strong>.</p><table>${htmlRows}</table><p>Total: ` +
        `<strong>${escapeHtml(money(order.total))}</strong></p>${addresses.html}`,
    ),
  };
}

/** The reset link is built by the consumer at send time; it exists in clear only in this email. */
export function passwordResetEmail(reset: { resetUrl: string }): RenderedEmail {
  const subject = "Reset your Motor password";
  return {
    subject,
    text: [
      "Someone asked to reset the password of this account.",
      `Open this link to choose a new one (it works once, and expires soon):`,
      reset.resetUrl,
      "",
      "If it was not you, ignore this email.",
    ].join("\n"),
    html: layout(
      subject,
      `<p>Someone asked to reset the password of this account.</p><p><a ` +
        `href="${escapeHtml(reset.resetUrl)}">Choose a new password</a> (the link works once, and ` +
        `expires soon).</p><p>If it was not you, ignore this email.</p>`,
    ),
  };
}

export function orderCancelledEmail(order: OrderCancelledData): RenderedEmail {
  const subject = `Your order ${order.orderId} was cancelled`;
  const reason = order.reason ? `Reason: ${order.reason}` : "";
  const back = order.refundAmount ?? order.total;
  const refund =
    back && order.currency
      ? `The payment of ${formatMoney(back, order.currency)} is refunded to your original payment method.`
      : "Any payment taken is refunded.";
  return {
    subject,
    text: [`Your order ${order.orderId} was cancelled.`, reason, refund].filter(Boolean).join("\n"),
    html: layout(
      subject,
      `<p>Your order <strong>${escapeHtml(order.orderId)}</strong> was ` +
        `cancelled.</p>${reason ? `<p>${escapeHtml(reason)}</p>` : ""}<p>${escapeHtml(refund)}</p>`,
    ),
  };
}

type UnitLine = { sku: string; title: string; quantity: number };

/** A list of units as text lines and an escaped HTML list. */
function unitList(lines: UnitLine[]): { text: string[]; html: string } {
  if (lines.length === 0) return { text: [], html: "" };
  const line = (unit: UnitLine) => `${unit.quantity} × ${unit.title} (${unit.sku})`;
  return {
    text: ["", ...lines.map((unit) => `- ${line(unit)}`)],
    html: `<ul>${lines.map((unit) => `<li>${escapeHtml(line(unit))}</li>`).join("")}</ul>`,
  };
}

export function orderShippedEmail(order: OrderShippedData): RenderedEmail {
  const subject = order.partial
    ? `Part of your order ${order.orderId} has shipped`
    : `Your order ${order.orderId} has shipped`;
  const tracking = order.trackingNumber
    ? `Tracking: ${[order.carrier, order.trackingNumber].filter(Boolean).join(" ")}`
    : "";
  const units = unitList(order.lines ?? []);
  const intro = order.partial
    ? "These items are on their way; the rest follow in another parcel."
    : `Your order ${order.orderId} is on its way.`;
  const link = order.trackingUrl ? `<p><a href="${escapeHtml(order.trackingUrl)}">Track your parcel</a></p>` : "";
  return {
    subject,
    text: [intro, ...units.text, "", tracking, order.trackingUrl ?? ""].filter(Boolean).join("\n"),
    html: layout(
      subject,
      `<p>${escapeHtml(intro)}</p>${units.html}${tracking ? `<p>${escapeHtml(tracking)}</p>` : ""}${link}`,
    ),
  };
}

export function orderRefundIssuedEmail(refund: OrderRefundIssuedData): RenderedEmail {
  const amount = formatMoney(refund.amount, refund.currency);
  const subject = `A refund of ${amount} for your order ${refund.orderId}`;
  const intro =
    `We are refunding ${amount} to your original payment method for your order ${refund.orderId}. ` +
    `Banks usually show it within 5–10 days.`;
  const units = unitList(refund.lines);
  const reason = refund.reason ? `Reason: ${refund.reason}` : "";
  return {
    subject,
    text: [intro, ...units.text, "", reason].filter(Boolean).join("\n"),
    html: layout(subject, `<p>${escapeHtml(intro)}</p>${units.html}${reason ? `<p>${escapeHtml(reason)}</p>` : ""}`),
  };
}
