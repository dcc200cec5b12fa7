CREATE TABLE `chain_versions` (
	`chain_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`chain_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `chains` (
	`id` text PRIMARY KEY NOT NULL,
	`definition` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`chain_id` text NOT NULL,
	`chain_version` integer NOT NULL,
	`status` text NOT NULL,
	`input` text,
	`output` text,
	`error` text,
	`usage` text,
	`step_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `runs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_chain_idx` ON `runs` (`chain_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `steps` (
	`run_id` text NOT NULL,
	`idx` integer NOT NULL,
	`task_id` text NOT NULL,
	`handler` text NOT NULL,
	`eval` text,
	`goto` text,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`error` text,
	`attempt` integer NOT NULL,
	`model` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	PRIMARY KEY(`run_id`, `idx`)
);
