-- Full-text search over active and inactive products (the query filters status). FTS5 with the
-- unicode61 tokenizer (diacritics folded: "creme" finds "Crème"). product_id is UNINDEXED: it is
-- stored to join back, never matched. Not an external-content table on purpose: products has a
-- text primary key, and its implicit rowid may change on VACUUM, which would desynchronise it.
CREATE VIRTUAL TABLE `products_fts` USING fts5(product_id UNINDEXED, title, description, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `products_fts` (product_id, title, description) SELECT id, title, description FROM `products`;
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
