-- Issue 12, buyer addresses: carts and orders keep an optional billing address next to the
-- shipping one (both JSON, same shape), and a signed-in customer keeps saved addresses.
ALTER TABLE `carts` ADD `billing_address` text;
--> statement-breakpoint
ALTER TABLE `orders` ADD `billing_address` text;
--> statement-breakpoint
CREATE TABLE `customer_addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`label` text,
	`address` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `customer_addresses_user_idx` ON `customer_addresses` (`user_id`,`created_at`);
