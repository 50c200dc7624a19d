-- Issue 12, catalog: the category tree is walked from parent to children (`?category=` includes
-- descendants), and the price sorts read a maintained column instead of a correlated subquery
-- per row. products.min_price_<cur> = the cheapest ACTIVE variant's price in that currency (null
-- when none), kept exact by triggers on every write to prices and variants: each one queues the
-- product ids it touched in product_price_refresh, whose own trigger recomputes them (the
-- recompute is written once) and empties the queue in the same statement. The expression indexes
-- match the sort keys of src/modules/catalog/catalog.sort.ts exactly (no price sorts last both
-- ways: 9007199254740991 ascending, -1 descending).
CREATE INDEX `categories_parent_idx` ON `categories` (`parent_id`);
--> statement-breakpoint
ALTER TABLE `products` ADD `min_price_eur` integer;
--> statement-breakpoint
ALTER TABLE `products` ADD `min_price_usd` integer;
--> statement-breakpoint
CREATE INDEX `products_price_eur_asc_idx` ON `products` (`status`, coalesce(`min_price_eur`, 9007199254740991), `id`);
--> statement-breakpoint
CREATE INDEX `products_price_eur_desc_idx` ON `products` (`status`, coalesce(`min_price_eur`, -1), `id`);
--> statement-breakpoint
CREATE INDEX `products_price_usd_asc_idx` ON `products` (`status`, coalesce(`min_price_usd`, 9007199254740991), `id`);
--> statement-breakpoint
CREATE INDEX `products_price_usd_desc_idx` ON `products` (`status`, coalesce(`min_price_usd`, -1), `id`);
--> statement-breakpoint
CREATE TABLE `product_price_refresh` (
	`product_id` text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `product_price_refresh_run` AFTER INSERT ON `product_price_refresh` BEGIN
  UPDATE products SET
    min_price_eur = (SELECT min(p.amount) FROM variants v JOIN prices p ON p.sku = v.sku AND p.currency = 'EUR' WHERE v.product_id = products.id AND v.status = 'active'),
    min_price_usd = (SELECT min(p.amount) FROM variants v JOIN prices p ON p.sku = v.sku AND p.currency = 'USD' WHERE v.product_id = products.id AND v.status = 'active')
  WHERE id = new.product_id;
  DELETE FROM product_price_refresh WHERE rowid = new.rowid;
END;
--> statement-breakpoint
INSERT INTO `product_price_refresh` (product_id) SELECT id FROM `products`;
--> statement-breakpoint
CREATE TRIGGER `prices_min_after_insert` AFTER INSERT ON `prices` BEGIN
  INSERT INTO product_price_refresh (product_id) SELECT product_id FROM variants WHERE sku = new.sku;
END;
--> statement-breakpoint
CREATE TRIGGER `prices_min_after_update` AFTER UPDATE ON `prices` BEGIN
  INSERT INTO product_price_refresh (product_id) SELECT product_id FROM variants WHERE sku IN (new.sku, old.sku);
END;
--> statement-breakpoint
CREATE TRIGGER `prices_min_after_delete` AFTER DELETE ON `prices` BEGIN
  INSERT INTO product_price_refresh (product_id) SELECT product_id FROM variants WHERE sku = old.sku;
END;
--> statement-breakpoint
CREATE TRIGGER `variants_min_after_insert` AFTER INSERT ON `variants` BEGIN
  INSERT INTO product_price_refresh (product_id) VALUES (new.product_id);
END;
--> statement-breakpoint
CREATE TRIGGER `variants_min_after_update` AFTER UPDATE OF status, product_id ON `variants` BEGIN
  INSERT INTO product_price_refresh (product_id) SELECT new.product_id UNION SELECT old.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `variants_min_after_delete` AFTER DELETE ON `variants` BEGIN
  INSERT INTO product_price_refresh (product_id) VALUES (old.product_id);
END;
