-- @destructive
-- expand: nothing to expand first: no release of Motor was ever deployed, and shipping_rates only ever held the demo seed, which re-creates its rows
-- contract: rebuild shipping_rates keyed by shipping option instead of country; no running code reads the old shape after this release
-- Issue 12, shipping options: zones (a country belongs to at most one zone; "*" is the rest of
-- the world), options per zone (Standard, Express…) and their rates per currency (weight bands,
-- free above a subtotal). shipping_rates is rebuilt: its rows now belong to an option instead of
-- naming a country (the demo seed re-creates them; production was never seeded).
CREATE TABLE `shipping_zones` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shipping_zone_countries` (
	`country` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `shipping_zones`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shipping_zone_countries_zone_idx` ON `shipping_zone_countries` (`zone_id`);
--> statement-breakpoint
CREATE TABLE `shipping_options` (
	`id` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL,
	`name` text NOT NULL,
	`estimated_days` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `shipping_zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shipping_options_zone_idx` ON `shipping_options` (`zone_id`);
--> statement-breakpoint
DROP TABLE `shipping_rates`;
--> statement-breakpoint
CREATE TABLE `shipping_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`option_id` text NOT NULL,
	`currency` text NOT NULL,
	`min_weight_grams` integer DEFAULT 0 NOT NULL,
	`max_weight_grams` integer,
	`amount` integer NOT NULL,
	`free_above_amount` integer,
	FOREIGN KEY (`option_id`) REFERENCES `shipping_options`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shipping_rates_option_idx` ON `shipping_rates` (`option_id`,`currency`);
--> statement-breakpoint
ALTER TABLE `carts` ADD `shipping_option_id` text;
