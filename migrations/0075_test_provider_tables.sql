-- @destructive
-- expand: nothing to expand first: only the test payment provider reads or writes these two tables,
--   and it runs only where PAYMENT_PROVIDER = test (local, tests); staging and production set stripe,
--   so neither version of a split deployment touches them there
-- contract: rename payments to test_provider_charges and payment_refunds to test_provider_refunds,
--   their indexes with them; no running code reads the old names after this release
-- Issue 24: `payments` read as Motor's payment records, but both tables are the test provider's bank
-- (its charges and its refunds); Motor's own record of a payment is on the order and the checkout.
-- Renaming `payments` rewrites the foreign key of payment_refunds.payment_id to the new name.
-- SQLite has no RENAME INDEX: each index is dropped and created again under its table's new name.
-- A local backup taken before this migration, with test charges in it, restores at the commit before it.
-- Hand-written, like 0008–0074.
ALTER TABLE `payments` RENAME TO `test_provider_charges`;
ALTER TABLE `payment_refunds` RENAME TO `test_provider_refunds`;
DROP INDEX `payments_provider_key_idx`;
CREATE UNIQUE INDEX `test_provider_charges_provider_key_idx` ON `test_provider_charges` (`provider`,`idempotency_key`);
DROP INDEX `payments_created_idx`;
CREATE INDEX `test_provider_charges_created_idx` ON `test_provider_charges` (`created_at`,`id`);
DROP INDEX `payment_refunds_idempotency_key_unique`;
CREATE UNIQUE INDEX `test_provider_refunds_idempotency_key_unique` ON `test_provider_refunds` (`idempotency_key`);
DROP INDEX `payment_refunds_created_idx`;
CREATE INDEX `test_provider_refunds_created_idx` ON `test_provider_refunds` (`created_at`,`id`);
