-- Money safety (issue 10): the checkout lifecycle gets per-row backoff and one live checkout per
-- cart; order refunds are written (pending) before the provider is called; payment webhooks are
-- leased, not claimed-then-applied; the test provider keeps a reconcilable ledger; mismatches
-- found by reconciliation are listed. Additive only.

-- The sweep retries a row at `next_attempt_at` (backoff per row, no starvation).
ALTER TABLE `checkouts` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `checkouts` ADD `next_attempt_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- At most one checkout per cart that has not failed: a second tab or key gets 409, and a cart that
-- became an order cannot be checked out again.
CREATE UNIQUE INDEX `checkouts_cart_live_idx` ON `checkouts` (`cart_id`) WHERE `state` <> 'compensated';--> statement-breakpoint
-- The sweep reads live checkouts only (the expression is repeated verbatim by the sweep query).
CREATE INDEX `checkouts_sweep_idx` ON `checkouts` (`next_attempt_at`) WHERE `state` IN ('reserving', 'charging', 'charged', 'compensating') OR (`state` = 'completed' AND `stock_committed_at` IS NULL);--> statement-breakpoint

CREATE TABLE `order_refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL REFERENCES `orders`(`id`),
	`payment_id` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`reason` text,
	`lines` text,
	`restock` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`provider_key` text NOT NULL,
	`provider_refund_id` text,
	`actor` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX `order_refunds_provider_key_idx` ON `order_refunds` (`provider_key`);--> statement-breakpoint
CREATE INDEX `order_refunds_order_idx` ON `order_refunds` (`order_id`, `created_at`);--> statement-breakpoint
CREATE INDEX `order_refunds_pending_idx` ON `order_refunds` (`next_attempt_at`) WHERE `status` = 'pending';--> statement-breakpoint

ALTER TABLE `payment_webhook_events` ADD `status` text DEFAULT 'applied' NOT NULL;--> statement-breakpoint
ALTER TABLE `payment_webhook_events` ADD `lease_until` integer;--> statement-breakpoint
ALTER TABLE `payment_webhook_events` ADD `payload` text;--> statement-breakpoint
CREATE INDEX `payment_webhook_events_leased_idx` ON `payment_webhook_events` (`lease_until`) WHERE `status` = 'leased';--> statement-breakpoint

ALTER TABLE `payments` ADD `checkout_id` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `order_id` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `refund_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `payments_created_idx` ON `payments` (`created_at`, `id`);--> statement-breakpoint
CREATE INDEX `payment_refunds_created_idx` ON `payment_refunds` (`created_at`, `id`);--> statement-breakpoint

CREATE TABLE `payment_mismatches` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`provider` text NOT NULL,
	`payment_id` text NOT NULL,
	`checkout_id` text,
	`order_id` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`detail` text NOT NULL,
	`status` text NOT NULL,
	`action` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`resolved_at` integer
);--> statement-breakpoint
CREATE UNIQUE INDEX `payment_mismatches_kind_payment_idx` ON `payment_mismatches` (`kind`, `payment_id`);--> statement-breakpoint
CREATE INDEX `payment_mismatches_open_idx` ON `payment_mismatches` (`status`, `first_seen_at`, `id`);
