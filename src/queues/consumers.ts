/** Every consumer of the JOBS queue, imported explicitly: what runs for a message is read here. */
import { orderEmailsConsumer, passwordResetEmailConsumer } from "../modules/email/email.consumers";
import { testProviderEventConsumer } from "../modules/payments/test-provider.events";
import { webhookDeliveryConsumer, webhookFanoutConsumer } from "../modules/webhooks/webhooks.consumers";
import type { Consumer } from "./consumer-types";

export const consumers: readonly Consumer[] = [
  orderEmailsConsumer,
  passwordResetEmailConsumer,
  webhookFanoutConsumer,
  webhookDeliveryConsumer,
  testProviderEventConsumer,
];
