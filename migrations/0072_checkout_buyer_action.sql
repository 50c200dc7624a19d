-- Issue 23: a checkout can wait for the buyer (3-D Secure). It keeps the provider's payment that
-- waits (`next_action`: { paymentId, url, clientSecret? }) and where the buyer comes back
-- (`return_url`); the test provider's ledger keeps the return URL of a charge that waits.
-- The sweep reads waiting checkouts through their own partial index (the live one is unchanged).
-- Hand-written, like 0008–0071.
ALTER TABLE `checkouts` ADD `return_url` text;
ALTER TABLE `checkouts` ADD `next_action` text;
ALTER TABLE `payments` ADD `return_url` text;
CREATE INDEX `checkouts_action_idx` ON `checkouts` (`next_attempt_at`) WHERE `state` = 'requires_action';
