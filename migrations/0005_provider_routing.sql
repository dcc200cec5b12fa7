CREATE TABLE `groups` (
	`name` text PRIMARY KEY NOT NULL,
	`members` text NOT NULL,
	`policy` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `providers` ADD `type` text;--> statement-breakpoint
ALTER TABLE `providers` ADD `allowed_fails` integer;--> statement-breakpoint
ALTER TABLE `providers` ADD `cooldown_s` real;