-- Fulfilments and line refunds (issue 12). Additive only.

-- What each line's buyer paid, to the cent, as priced at checkout: its share of the cart discount
-- and its own rounded tax. NULL on lines written before this migration (a line refund then shares
-- the order's amounts out in proportion to the line totals; see orders/refund-amounts.ts).
ALTER TABLE `order_lines` ADD `discount` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `tax` integer;--> statement-breakpoint

-- One parcel handed to a carrier: the order's lines (or some units of them) with a tracking number.
CREATE TABLE `order_fulfillments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL REFERENCES `orders`(`id`),
	`carrier` text NOT NULL,
	`tracking_number` text NOT NULL,
	`tracking_url` text,
	`lines` text NOT NULL,
	`actor` text NOT NULL,
	`request_key` text,
	`created_at` integer NOT NULL
);--> statement-breakpoint
CREATE INDEX `order_fulfillments_order_idx` ON `order_fulfillments` (`order_id`, `created_at`);--> statement-breakpoint
-- a retried request (same caller and Idempotency-Key) finds its parcel instead of recording another
CREATE UNIQUE INDEX `order_fulfillments_request_key_idx` ON `order_fulfillments` (`request_key`);
