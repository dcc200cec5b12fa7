CREATE TABLE `cascade_budgets` (
	`root` text NOT NULL,
	`kind` text NOT NULL,
	`minute` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`root`, `kind`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `cascade_budgets_minute_idx` ON `cascade_budgets` (`minute`);