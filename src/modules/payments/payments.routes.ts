import { createRoute } from "@hono/zod-openapi";
import { jsonContent, problems } from "../../platform/openapi";
import { providerParamSchema, webhookAckSchema } from "./payments.schemas";

/**
 * No `body` in the contract on purpose: the signature covers the raw bytes, so the handler reads
 * the raw text and verifies it before anything parses it.
 */
export const receiveWebhook = createRoute({
  method: "post",
  path: "/v1/webhooks/payments/{provider}",
  tags: ["payments"],
  summary: "Inbound payment provider events (signature-verified, idempotent by event id)",
  description:
    '`stripe`: header `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(STRIPE_WEBHOOK_SECRET, "<t>.<raw body>")>`. ' +
    "`test`: the same scheme in `Motor-Test-Signature` with TEST_PAYMENT_WEBHOOK_SECRET. Tolerance 300 s. " +
    ("A missing, forged or stale signature is 400; an unknown or unconfigured provider is 404; a " +
      "redelivered event is 200 with `duplicate: true`."),
  request: { params: providerParamSchema },
  responses: { 200: jsonContent(webhookAckSchema, "Event accepted"), ...problems(400, 404, 413, 415, 503) },
});
