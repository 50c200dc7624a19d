-- Issue 11 (security hardening).
-- users.token_version: bumped by a role change or a password reset; access tokens carry it (`ver`)
-- and every admin decision compares it with this column, so such a change bites at once.
ALTER TABLE `users` ADD `token_version` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- refresh_tokens.family_expires_at: the absolute end of a sign-in (90 days), carried unchanged by
-- every successor; existing rows get 90 days from their own creation.
ALTER TABLE `refresh_tokens` ADD `family_expires_at` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
UPDATE `refresh_tokens` SET `family_expires_at` = `created_at` + 7776000000;
