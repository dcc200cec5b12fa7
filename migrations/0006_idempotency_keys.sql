CREATE TABLE `idempotency_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);