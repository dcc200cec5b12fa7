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
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text,
	`payload` text NOT NULL,
	`error` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`source` text,
	`aggregate_id` text,
	`aggregate_type` text,
	`version` integer DEFAULT 1 NOT NULL,
	`data` text NOT NULL,
	`metadata` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_type_idx` ON `events` (`type`,`created_at`);--> statement-breakpoint
CREATE INDEX `events_created_idx` ON `events` (`created_at`);--> statement-breakpoint
CREATE TABLE `functions` (
	`name` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`hash` text NOT NULL,
	`grant` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `mappings` (
	`path` text PRIMARY KEY NOT NULL,
	`config` text NOT NULL,
	`secret` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `providers` (
	`name` text PRIMARY KEY NOT NULL,
	`base_url` text NOT NULL,
	`api_key` text,
	`models` text NOT NULL,
	`default_model` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `raw_events` (
	`id` text PRIMARY KEY NOT NULL,
	`path` text NOT NULL,
	`payload` text NOT NULL,
	`headers` text NOT NULL,
	`received_at` integer NOT NULL
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
--> statement-breakpoint
CREATE TABLE `tool_services` (
	`name` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`url` text NOT NULL,
	`spec_url` text,
	`config` text NOT NULL,
	`secrets` text,
	`timeout_ms` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `trigger_fires` (
	`key` text PRIMARY KEY NOT NULL,
	`trigger_id` text NOT NULL,
	`run_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `triggers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`schedule` text,
	`event_type` text,
	`chain_id` text,
	`function_name` text,
	`input` text,
	`vars` text,
	`enabled` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `triggers_type_idx` ON `triggers` (`type`,`event_type`);