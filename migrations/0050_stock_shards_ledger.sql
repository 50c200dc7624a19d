-- Issue 13: hot-SKU shards and an exactly-once path for on-hand changes into the StockLock.
-- K per SKU (the record; a copy lives in KV for the reserve path), and the largest K it ever had.
ALTER TABLE `inventory` ADD `shards` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `inventory` ADD `shard_span` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Every on-hand change made outside a checkout (admin set, restock of a cancelled order), written in
-- the same batch as the change; the SKU's home StockLock folds rows in by `seq`, each exactly once.
CREATE TABLE `stock_ledger` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sku` text NOT NULL,
	`delta` integer NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stock_ledger_sku_seq_idx` ON `stock_ledger` (`sku`,`seq`);--> statement-breakpoint
-- Held units per shard, written by each StockLock shard (versioned); inventory.reserved is their sum.
CREATE TABLE `inventory_holds` (
	`sku` text NOT NULL,
	`shard` integer NOT NULL,
	`reserved` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`sku`, `shard`)
);
--> statement-breakpoint
-- One row per (reservation, SKU) sold, written by the order batch beside the on_hand decrement: the
-- primary key makes a second decrement for the same reservation fail the batch, and the StockLock
-- reads it to settle a reservation that expired after its order was written.
CREATE TABLE `stock_sales` (
	`reservation_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`reservation_id`, `sku`)
);
--> statement-breakpoint
CREATE INDEX `stock_sales_created_idx` ON `stock_sales` (`created_at`);
