CREATE TABLE `effect_sequences` (
	`execution` text PRIMARY KEY NOT NULL,
	`next` integer NOT NULL,
	`created_at` integer NOT NULL
);
