CREATE TABLE `delivery_failures` (
	`event_id` text PRIMARY KEY NOT NULL,
	`error` text NOT NULL,
	`attempts` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `trigger_fires` ADD `event_id` text;--> statement-breakpoint
ALTER TABLE `trigger_fires` ADD `result` text;--> statement-breakpoint
ALTER TABLE `trigger_fires` ADD `error` text;--> statement-breakpoint
CREATE INDEX `trigger_fires_trigger_idx` ON `trigger_fires` (`trigger_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `trigger_fires_event_idx` ON `trigger_fires` (`event_id`);