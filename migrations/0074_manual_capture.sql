-- Issue 23: authorise now, capture at shipping (PAYMENT_CAPTURE = manual). A checkout records how it
-- charged; its order records the authorisation's life (orders/order-payment.ts): `authorized` →
-- `capturing` → `captured`, or `voiding` → `voided`, with the amount taken, when the authorisation
-- expires and whether the merchant was warned. `payment_next_attempt_at` is when the minute cron
-- looks again (a capture or void to retry, an expiry to act on); its partial index holds only the
-- orders that still wait. A refund row of kind `release` is money never taken (a unit refunded
-- before capture lowers what the capture takes). The test provider's ledger gains the same life.
-- And a buyer whose authentication failed pays again on the same checkout (another card, while the
-- window is open): `charge_attempt` counts the charges a checkout sent, each under its own key.
-- Hand-written, like 0008–0073.
ALTER TABLE `checkouts` ADD `capture_method` text DEFAULT 'automatic' NOT NULL;
ALTER TABLE `checkouts` ADD `charge_attempt` integer DEFAULT 0 NOT NULL;
ALTER TABLE `orders` ADD `capture_method` text DEFAULT 'automatic' NOT NULL;
ALTER TABLE `orders` ADD `payment_status` text;
ALTER TABLE `orders` ADD `amount_captured` integer;
ALTER TABLE `orders` ADD `authorization_expires_at` integer;
ALTER TABLE `orders` ADD `authorization_warned_at` integer;
ALTER TABLE `orders` ADD `payment_attempts` integer DEFAULT 0 NOT NULL;
ALTER TABLE `orders` ADD `payment_next_attempt_at` integer;
ALTER TABLE `orders` ADD `payment_last_error` text;
CREATE INDEX `orders_payment_due_idx` ON `orders` (`payment_next_attempt_at`) WHERE `payment_status` IN ('authorized', 'capturing', 'voiding');
ALTER TABLE `order_refunds` ADD `kind` text DEFAULT 'refund' NOT NULL;
ALTER TABLE `payments` ADD `capture_method` text DEFAULT 'automatic' NOT NULL;
ALTER TABLE `payments` ADD `amount_captured` integer;
ALTER TABLE `payments` ADD `capture_key` text;
ALTER TABLE `payments` ADD `captured_at` integer;
ALTER TABLE `payments` ADD `voided_at` integer;
