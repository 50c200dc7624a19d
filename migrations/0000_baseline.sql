-- Motor baseline schema: the squash of migrations 0000-0007 (nothing was deployed before it).
-- Tables are grouped by module; each later change is ONE new migration numbered after this one,
-- additive by default. Destructive SQL needs a marker and an expand/contract plan: docs/operations.md.


-- ==== identity ==================================================================================
-- Identity (docs/identity.md): accounts, refresh-token families, password resets, the audit trail.
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`action` text NOT NULL,
	`actor_id` text,
	`subject` text,
	`request_id` text,
	`ip` text,
	`details` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);
--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_id`,`created_at`);
--> statement-breakpoint
CREATE TABLE `password_reset_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_reset_tokens_token_hash_unique` ON `password_reset_tokens` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `password_reset_tokens_user_idx` ON `password_reset_tokens` (`user_id`);
--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`family_id` text NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`rotated_at` integer,
	`replaced_by` text,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `refresh_tokens_token_hash_unique` ON `refresh_tokens` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `refresh_tokens_family_idx` ON `refresh_tokens` (`family_id`);
--> statement-breakpoint
CREATE INDEX `refresh_tokens_user_idx` ON `refresh_tokens` (`user_id`);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'customer' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);
--> statement-breakpoint

-- ==== catalog ===================================================================================
-- Catalog (docs/catalog.md): products, variants (one SKU each), prices per currency, categories; catalog_version bumps invalidate the KV cache.
CREATE TABLE `catalog_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_slug_unique` ON `categories` (`slug`);
--> statement-breakpoint
CREATE TABLE `prices` (
	`sku` text NOT NULL,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`sku`, `currency`),
	FOREIGN KEY (`sku`) REFERENCES `variants`(`sku`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `product_categories` (
	`product_id` text NOT NULL,
	`category_id` text NOT NULL,
	PRIMARY KEY(`product_id`, `category_id`),
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_categories_category_idx` ON `product_categories` (`category_id`,`product_id`);
--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`images` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_slug_unique` ON `products` (`slug`);
--> statement-breakpoint
CREATE INDEX `products_status_created_idx` ON `products` (`status`,`created_at`,`id`);
--> statement-breakpoint
CREATE INDEX `products_status_title_idx` ON `products` (`status`,`title`,`id`);
--> statement-breakpoint
CREATE TABLE `variants` (
	`sku` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`title` text NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`weight_grams` integer DEFAULT 0 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `variants_product_idx` ON `variants` (`product_id`,`position`);
--> statement-breakpoint
-- Full-text search over active and inactive products (the query filters status). FTS5 with the
-- unicode61 tokenizer (diacritics folded: "creme" finds "Crème"). product_id is UNINDEXED: it is
-- stored to join back, never matched. Not an external-content table on purpose: products has a
-- text primary key, and its implicit rowid may change on VACUUM, which would desynchronise it.
CREATE VIRTUAL TABLE `products_fts` USING fts5(product_id UNINDEXED, title, description, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `products_fts_insert` AFTER INSERT ON `products` BEGIN
  INSERT INTO `products_fts` (product_id, title, description) VALUES (new.id, new.title, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_update` AFTER UPDATE OF title, description ON `products` BEGIN
  DELETE FROM `products_fts` WHERE product_id = old.id;
  INSERT INTO `products_fts` (product_id, title, description) VALUES (new.id, new.title, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_delete` AFTER DELETE ON `products` BEGIN
  DELETE FROM `products_fts` WHERE product_id = old.id;
END;
--> statement-breakpoint

-- ==== inventory =================================================================================
-- Inventory (docs/inventory.md): on-hand stock per SKU, the truth; reservations are serialised by the StockLock Durable Object.
CREATE TABLE `inventory` (
	`sku` text PRIMARY KEY NOT NULL,
	`on_hand` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`reserved_version` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inventory_reserved_idx` ON `inventory` (`sku`) WHERE "inventory"."reserved" > 0;
--> statement-breakpoint

-- ==== tax =======================================================================================
-- Tax (docs/pricing.md): rules by country and region.
CREATE TABLE `tax_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`country` text NOT NULL,
	`region` text DEFAULT '' NOT NULL,
	`name` text NOT NULL,
	`rate_bp` integer NOT NULL,
	`inclusive` integer NOT NULL,
	`applies_to_shipping` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tax_rules_country_region_idx` ON `tax_rules` (`country`,`region`);
--> statement-breakpoint

-- ==== jobs ======================================================================================
-- Async work (docs/async.md): the transactional outbox, consumer dedup, failed jobs.
CREATE TABLE `job_failures` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text,
	`first_failed_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_failures_status_idx` ON `job_failures` (`status`,`updated_at`);
--> statement-breakpoint
CREATE TABLE `outbox_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`version` integer NOT NULL,
	`data` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`published_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_unpublished_idx` ON `outbox_events` (`published_at`,`occurred_at`);
--> statement-breakpoint
CREATE TABLE `processed_events` (
	`event_id` text NOT NULL,
	`consumer` text NOT NULL,
	`processed_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `consumer`)
);
--> statement-breakpoint
CREATE INDEX `processed_events_at_idx` ON `processed_events` (`processed_at`);
--> statement-breakpoint

-- ==== email =====================================================================================
-- Email (docs/async.md): sent emails (the local adapter's outbox, readable by admins).
CREATE TABLE `emails` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `emails_idempotency_key_unique` ON `emails` (`idempotency_key`);
--> statement-breakpoint
CREATE INDEX `emails_to_idx` ON `emails` (`to`,`created_at`);
--> statement-breakpoint

-- ==== webhooks ==================================================================================
-- Merchant webhooks (docs/async.md): endpoints and delivery attempts.
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_endpoint_event_idx` ON `webhook_deliveries` (`endpoint_id`,`event_id`);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_idx` ON `webhook_deliveries` (`endpoint_id`,`created_at`);
--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint

-- ==== reports ===================================================================================
-- Reports (docs/async.md): one daily sales row per UTC date.
CREATE TABLE `daily_sales_reports` (
	`date` text PRIMARY KEY NOT NULL,
	`report` text NOT NULL,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint

-- ==== payments ==================================================================================
-- Payments (docs/payments.md): charges, refunds, deduplicated provider webhooks.
CREATE TABLE `payment_refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_refunds_idempotency_key_unique` ON `payment_refunds` (`idempotency_key`);
--> statement-breakpoint
CREATE TABLE `payment_webhook_events` (
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`amount` integer NOT NULL,
	`amount_refunded` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`payment_method` text NOT NULL,
	`status` text NOT NULL,
	`decline_code` text,
	`description` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_provider_key_idx` ON `payments` (`provider`,`idempotency_key`);
--> statement-breakpoint

-- ==== orders ====================================================================================
-- Checkout and orders (docs/checkout.md): the saga's checkouts, orders, their lines and transitions.
CREATE TABLE `checkouts` (
	`id` text PRIMARY KEY NOT NULL,
	`request_key` text NOT NULL,
	`cart_id` text NOT NULL,
	`user_id` text,
	`state` text NOT NULL,
	`payment_method` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`snapshot` text NOT NULL,
	`payment_id` text,
	`order_id` text,
	`failure` text,
	`stock_committed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `checkouts_request_idx` ON `checkouts` (`request_key`,`created_at`);
--> statement-breakpoint
CREATE INDEX `checkouts_state_updated_idx` ON `checkouts` (`state`,`updated_at`);
--> statement-breakpoint
CREATE TABLE `order_lines` (
	`order_id` text NOT NULL,
	`sku` text NOT NULL,
	`title` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`total` integer NOT NULL,
	PRIMARY KEY(`order_id`, `sku`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `order_transitions` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_transitions_order_idx` ON `order_transitions` (`order_id`,`at`);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`email` text NOT NULL,
	`currency` text NOT NULL,
	`subtotal` integer NOT NULL,
	`discount` integer DEFAULT 0 NOT NULL,
	`shipping` integer DEFAULT 0 NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	`tax_inclusive` integer DEFAULT false NOT NULL,
	`total` integer NOT NULL,
	`discount_code` text,
	`shipping_address` text,
	`status` text NOT NULL,
	`payment_provider` text,
	`payment_id` text,
	`checkout_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_checkout_id_unique` ON `orders` (`checkout_id`);
--> statement-breakpoint
CREATE INDEX `orders_user_created_idx` ON `orders` (`user_id`,`created_at`,`id`);
--> statement-breakpoint
CREATE INDEX `orders_status_created_idx` ON `orders` (`status`,`created_at`,`id`);
--> statement-breakpoint
CREATE INDEX `orders_created_idx` ON `orders` (`created_at`,`id`);
--> statement-breakpoint
CREATE INDEX `orders_payment_idx` ON `orders` (`payment_id`);
--> statement-breakpoint

-- ==== idempotency ===============================================================================
-- Idempotency (docs/checkout.md): stored answers per Idempotency-Key.
CREATE TABLE `idempotency_keys` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` text NOT NULL,
	`response_status` integer,
	`response_headers` text,
	`response_body` text,
	`locked_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_expires_idx` ON `idempotency_keys` (`expires_at`);
--> statement-breakpoint

-- ==== cart ======================================================================================
-- Cart and pricing (docs/pricing.md): carts, lines, discount codes and redemptions, shipping rates.
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
CREATE INDEX `carts_user_idx` ON `carts` (`user_id`,`status`,`updated_at`);
--> statement-breakpoint
CREATE INDEX `carts_updated_idx` ON `carts` (`updated_at`);
--> statement-breakpoint
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
CREATE UNIQUE INDEX `discount_redemptions_order_idx` ON `discount_redemptions` (`code`,`order_id`);
--> statement-breakpoint
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
