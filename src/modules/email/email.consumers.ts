/**
 * Email consumers of the JOBS queue: one for the order emails (confirmation, cancellation,
 * shipped, refund issued) and one for password resets. The idempotency key (event id + template) makes a
 * redelivered event send nothing twice even if two copies race past the processed-events check.
 */
import { configOf, type Env } from "../../env";
import type { Consumer } from "../../queues/consumer-types";
import type { JobMessage } from "../../queues/messages";
import { resetTokenFor } from "../identity/derived-secrets";
import { RESET_EVENT_VERSION } from "../identity/password-reset.service";
import {
  orderCancelledData,
  orderCreatedData,
  orderRefundIssuedData,
  orderShippedData,
  parseV1,
  parseVersion,
  passwordResetData,
} from "./email.events";
import { emailAdapterFor } from "./email.provider";
import { log } from "../../platform/observability/log";
import {
  orderCancelledEmail,
  orderConfirmationEmail,
  orderRefundIssuedEmail,
  orderShippedEmail,
  passwordResetEmail,
  type RenderedEmail,
} from "./email.templates";

/** The email an order event sends, or null when it has nothing new to tell the buyer. */
function renderOrderEmail(message: JobMessage): { to: string; email: RenderedEmail } | null {
  switch (message.type) {
    case "order.created": {
      const order = parseV1(orderCreatedData, message);
      return { to: order.email, email: orderConfirmationEmail(order) };
    }
    case "order.cancelled": {
      const order = parseV1(orderCancelledData, message);
      return { to: order.email, email: orderCancelledEmail(order) };
    }
    case "order.refund_issued": {
      const refund = parseV1(orderRefundIssuedData, message);
      return { to: refund.email, email: orderRefundIssuedEmail(refund) };
    }
    default: {
      const order = parseV1(orderShippedData, message);
      // shipped because the units left were refunded: no parcel left, the refund email said it all
      if (order.lines?.length === 0) return null;
      return { to: order.email, email: orderShippedEmail(order) };
    }
  }
}

async function send(env: Env, message: JobMessage, to: string, email: RenderedEmail): Promise<void> {
  await emailAdapterFor(env).send({ to, ...email, idempotencyKey: `${message.id}:${message.type}` });
  // the logger masks the address; the line carries the trace of the request that caused the email
  log.info("email sent", { eventId: message.id, type: message.type, to });
}

export const orderEmailsConsumer: Consumer = {
  name: "order-emails",
  types: ["order.created", "order.cancelled", "order.shipped", "order.refund_issued"],
  handle: async (message, env) => {
    const rendered = renderOrderEmail(message);
    if (rendered) await send(env, message, rendered.to, rendered.email);
  },
};

export const passwordResetEmailConsumer: Consumer = {
  name: "password-reset-email",
  types: ["user.password_reset_requested"],
  handle: async (message, env) => {
    const reset = parseVersion(RESET_EVENT_VERSION, passwordResetData, message);
    const token = await resetTokenFor(env, reset.resetTokenId);
    const resetUrl = `${configOf(env).PUBLIC_BASE_URL.replace(/\/$/, "")}/reset-password?token=${encodeURIComponent(token)}`;
    await send(env, message, reset.email, passwordResetEmail({ resetUrl }));
  },
};
