-- Issue 12, per-customer discount limits. The limit is copied into each usage row when it is
-- first counted, so a CHECK on that one row can enforce it inside the checkout's order batch
-- (a CHECK cannot read another table): the increment past the limit fails the whole batch.
ALTER TABLE `discount_codes` ADD `per_customer_limit` integer;
--> statement-breakpoint
CREATE TABLE `discount_customer_usage` (
	`code` text NOT NULL,
	`customer` text NOT NULL,
	`used` integer NOT NULL,
	`usage_limit` integer,
	PRIMARY KEY(`code`, `customer`),
	FOREIGN KEY (`code`) REFERENCES `discount_codes`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "discount_customer_usage_limit" CHECK("discount_customer_usage"."usage_limit" IS NULL OR "discount_customer_usage"."used" <= "discount_customer_usage"."usage_limit")
);
