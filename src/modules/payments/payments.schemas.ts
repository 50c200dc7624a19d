/** Webhook contract: the provider path parameter and the acknowledgement. */
import * as z from "zod";

export const providerParamSchema = z.object({
  provider: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[a-z0-9-]+$/, "lowercase letters, digits and '-'")
    .openapi({ param: { name: "provider", in: "path" }, example: "stripe" }),
});

export const webhookAckSchema = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    duplicate: z
      .boolean()
      .openapi({ description: "true when this event id was already processed (nothing was done again)" }),
  })
  .openapi("PaymentWebhookAck");
