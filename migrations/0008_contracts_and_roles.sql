CREATE TABLE `contract_calls` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`execution` text NOT NULL,
	`decision` text NOT NULL,
	`ok` integer,
	`result` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contract_calls_execution_idx` ON `contract_calls` (`execution`,`seq`);--> statement-breakpoint
CREATE TABLE `contract_versions` (
	`contract_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`contract_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `contracts` (
	`id` text PRIMARY KEY NOT NULL,
	`definition` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `runs` ADD `principal` text;--> statement-breakpoint
ALTER TABLE `triggers` ADD `role` text;