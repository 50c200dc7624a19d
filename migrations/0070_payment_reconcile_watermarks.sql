-- Reconciliation's watermark (issue 22, defect 1): where the last complete run reached, per provider.
-- Hand-written: drizzle-kit generate prompts on the hand-written 0008–0060 (meta/ is the baseline's snapshot).
CREATE TABLE `payment_reconcile_watermarks` (
	`provider` text PRIMARY KEY NOT NULL,
	`reached_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
