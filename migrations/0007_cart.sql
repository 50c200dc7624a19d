CREATE TABLE `cart_items` (
	`cart_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`cart_id`, `sku`),
	FOREIGN KEY (`cart_id`) REFERENCES `carts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `carts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`status` text DEFAULT 'open' NOT NULL,
	`currency` text NOT NULL,
	`country` text,
	`email` text,
	`shipping_address` text,
	`discount_code` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `carts_user_idx` ON `carts` (`user_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `carts_updated_idx` ON `carts` (`updated_at`);--> statement-breakpoint
CREATE TABLE `discount_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`percent_bp` integer,
	`amount` integer,
	`currency` text,
	`min_subtotal` integer DEFAULT 0 NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`usage_limit` integer,
	`used` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "discount_codes_usage_limit" CHECK("discount_codes"."usage_limit" IS NULL OR "discount_codes"."used" <= "discount_codes"."usage_limit"),
	CONSTRAINT "discount_codes_shape" CHECK(("discount_codes"."kind" = 'percentage' AND "discount_codes"."percent_bp" BETWEEN 1 AND 10000) OR ("discount_codes"."kind" = 'fixed' AND "discount_codes"."amount" > 0 AND "discount_codes"."currency" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE `discount_redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`order_id` text NOT NULL,
	`user_id` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`code`) REFERENCES `discount_codes`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discount_redemptions_order_idx` ON `discount_redemptions` (`code`,`order_id`);--> statement-breakpoint
CREATE TABLE `shipping_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`currency` text NOT NULL,
	`min_weight_grams` integer DEFAULT 0 NOT NULL,
	`max_weight_grams` integer,
	`amount` integer NOT NULL,
	`free_above_amount` integer
);
--> statement-breakpoint
CREATE INDEX `shipping_rates_currency_idx` ON `shipping_rates` (`currency`,`country`);