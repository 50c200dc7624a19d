-- Issue 23: what one client may hold while payments wait. `client_key` (the account, or the
-- address of an anonymous buyer) bounds how many live checkouts one client has; its partial index
-- covers live checkouts only, so the count in the checkout's first batch reads a handful of rows.
-- Hand-written, like 0008–0072.
ALTER TABLE `checkouts` ADD `client_key` text;
CREATE INDEX `checkouts_client_live_idx` ON `checkouts` (`client_key`) WHERE `state` IN ('reserving', 'charging', 'requires_action', 'charged', 'compensating');
