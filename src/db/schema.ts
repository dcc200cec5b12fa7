/**
 * The D1 tables people query: the chain registry with its version history, runs and their
 * step summaries. A run's live truth is its Durable Object; these rows are its public record.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const chains = sqliteTable("chains", {
  id: text("id").primaryKey(),
  definition: text("definition").notNull(),
  version: integer("version").notNull(),
  created_at: integer("created_at").notNull(),
  updated_at: integer("updated_at").notNull(),
});

/** Every version ever stored, so a run can always show the chain it actually ran. */
export const chainVersions = sqliteTable(
  "chain_versions",
  {
    chain_id: text("chain_id").notNull(),
    version: integer("version").notNull(),
    definition: text("definition").notNull(),
    created_at: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chain_id, t.version] })],
);

export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    chain_id: text("chain_id").notNull(),
    /** Registry version, or 0 for a bundled chain, or -1 for an inline chain. */
    chain_version: integer("chain_version").notNull(),
    status: text("status").notNull(),
    input: text("input"),
    output: text("output"),
    error: text("error"),
    usage: text("usage"),
    step_count: integer("step_count").notNull().default(0),
    created_at: integer("created_at").notNull(),
    started_at: integer("started_at"),
    finished_at: integer("finished_at"),
    updated_at: integer("updated_at").notNull(),
  },
  (t) => [
    index("runs_created_idx").on(t.created_at, t.id),
    index("runs_status_idx").on(t.status, t.created_at),
    index("runs_chain_idx").on(t.chain_id, t.created_at),
  ],
);

export const steps = sqliteTable(
  "steps",
  {
    run_id: text("run_id").notNull(),
    index: integer("idx").notNull(),
    task_id: text("task_id").notNull(),
    handler: text("handler").notNull(),
    eval: text("eval"),
    goto: text("goto"),
    started_at: integer("started_at").notNull(),
    duration_ms: integer("duration_ms").notNull(),
    error: text("error"),
    attempt: integer("attempt").notNull(),
    model: text("model"),
    prompt_tokens: integer("prompt_tokens"),
    completion_tokens: integer("completion_tokens"),
  },
  (t) => [primaryKey({ columns: [t.run_id, t.index] })],
);
