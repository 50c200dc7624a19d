-- Issue 22, defect 5: the test provider's refunds can be `pending` and fail later (`pm_card_refundPendingFails`).
-- Hand-written, like 0008–0070.
ALTER TABLE `payment_refunds` ADD `status` text DEFAULT 'succeeded' NOT NULL;
