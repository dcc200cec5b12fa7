ALTER TABLE `runs` ADD `forked_from_run_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `forked_from_step` integer;--> statement-breakpoint
CREATE INDEX `runs_forked_from_idx` ON `runs` (`forked_from_run_id`,`created_at`);