/**
 * The D1 tables people query: the chain registry with its version history, runs and their
 * step summaries. A run's live truth is its Durable Object; these rows are its public record.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
    /** For a fork: the run and step it was forked from. */
    forked_from_run_id: text("forked_from_run_id"),
    forked_from_step: integer("forked_from_step"),
    /** The caller's role (never its key); null for runs recorded before roles. */
    principal: text("principal"),
  },
  (t) => [
    index("runs_created_idx").on(t.created_at, t.id),
    index("runs_status_idx").on(t.status, t.created_at),
    index("runs_chain_idx").on(t.chain_id, t.created_at),
    index("runs_forked_from_idx").on(t.forked_from_run_id, t.created_at),
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

/** LLM providers registered through the API; `api_key` is encrypted and never returned. */
export const providers = sqliteTable("providers", {
  name: text("name").primaryKey(),
  base_url: text("base_url").notNull(),
  /** openai, ollama, vllm, openrouter, workers-ai or openai-compatible; null: inferred from base_url. */
  type: text("type"),
  /** Health thresholds; null: the deployment's (ROUTING_ALLOWED_FAILS, ROUTING_COOLDOWN_S). */
  allowed_fails: integer("allowed_fails"),
  cooldown_s: real("cooldown_s"),
  api_key: text("api_key"),
  /** JSON: [{ id, context_length?, capabilities: ["chat","tools","embeddings","streaming"] }]. */
  models: text("models").notNull(),
  default_model: text("default_model"),
  created_at: integer("created_at").notNull(),
  updated_at: integer("updated_at").notNull(),
});

/** Groups of backends (`"model": "group:NAME"`) registered through the API. */
export const groups = sqliteTable("groups", {
  name: text("name").primaryKey(),
  /** JSON: [{ provider, model, weight? }]. */
  members: text("members").notNull(),
  policy: text("policy"),
  created_at: integer("created_at").notNull(),
  updated_at: integer("updated_at").notNull(),
});

/** Remote tool services (OpenAPI or MCP); `secrets` (headers, inject) is encrypted and write-only. */
export const toolServices = sqliteTable("tool_services", {
  name: text("name").primaryKey(),
  type: text("type").notNull(),
  url: text("url").notNull(),
  spec_url: text("spec_url"),
  /** JSON: the discovered operations and per-operation settings such as requires_approval. */
  config: text("config").notNull(),
  secrets: text("secrets"),
  timeout_ms: integer("timeout_ms"),
  created_at: integer("created_at").notNull(),
  updated_at: integer("updated_at").notNull(),
});

export const triggers = sqliteTable(
  "triggers",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    type: text("type").notNull(),
    schedule: text("schedule"),
    event_type: text("event_type"),
    chain_id: text("chain_id"),
    function_name: text("function_name"),
    input: text("input"),
    vars: text("vars"),
    /** The role its runs and functions act as; null for triggers made before roles (admin). */
    role: text("role"),
    enabled: integer("enabled").notNull().default(1),
    created_at: integer("created_at").notNull(),
  },
  (t) => [index("triggers_type_idx").on(t.type, t.event_type)],
);

/** Idempotency for trigger firings: `<trigger id>:<minute>` or `<trigger id>:<event id>`. */
export const triggerFires = sqliteTable(
  "trigger_fires",
  {
    key: text("key").primaryKey(),
    trigger_id: text("trigger_id").notNull(),
    run_id: text("run_id"),
    /** The event that fired an event trigger. */
    event_id: text("event_id"),
    /** JSON: a function trigger's sandbox envelope (result, logs, calls). */
    result: text("result"),
    /** Why a cron firing could not start its run (cron is not retried). */
    error: text("error"),
    created_at: integer("created_at").notNull(),
  },
  (t) => [
    index("trigger_fires_trigger_idx").on(t.trigger_id, t.created_at),
    index("trigger_fires_event_idx").on(t.event_id),
    index("trigger_fires_run_idx").on(t.run_id),
  ],
);

/** How `POST /ingest?path=` turns a raw payload into a domain event; `secret` is encrypted. */
export const mappings = sqliteTable("mappings", {
  path: text("path").primaryKey(),
  config: text("config").notNull(),
  secret: text("secret"),
  created_at: integer("created_at").notNull(),
  updated_at: integer("updated_at").notNull(),
});

export const rawEvents = sqliteTable("raw_events", {
  id: text("id").primaryKey(),
  path: text("path").notNull(),
  payload: text("payload").notNull(),
  headers: text("headers").notNull(),
  received_at: integer("received_at").notNull(),
});

export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    source: text("source"),
    aggregate_id: text("aggregate_id"),
    aggregate_type: text("aggregate_type"),
    version: integer("version").notNull().default(1),
    data: text("data").notNull(),
    metadata: text("metadata").notNull(),
    created_at: integer("created_at").notNull(),
  },
  (t) => [index("events_type_idx").on(t.type, t.created_at), index("events_created_idx").on(t.created_at)],
);

export const functions = sqliteTable("functions", {
  name: text("name").primaryKey(),
  code: text("code").notNull(),
  hash: text("hash").notNull(),
  /** JSON: the capabilities the function may use (tools grant, egress allow-list). */
  grant: text("grant").notNull(),
  created_at: integer("created_at").notNull(),
  updated_at: integer("updated_at").notNull(),
});

/**
 * The last error of an event whose delivery failed and is being retried; the dead-letter
 * consumer copies it into `dead_letters` (the dead-letter queue carries only the message).
 */
export const deliveryFailures = sqliteTable("delivery_failures", {
  event_id: text("event_id").primaryKey(),
  error: text("error").notNull(),
  attempts: integer("attempts").notNull(),
  updated_at: integer("updated_at").notNull(),
});

/** Messages that failed every delivery attempt, with the last error. */
export const deadLetters = sqliteTable("dead_letters", {
  id: text("id").primaryKey(),
  event_id: text("event_id"),
  payload: text("payload").notNull(),
  error: text("error").notNull(),
  attempts: integer("attempts").notNull(),
  created_at: integer("created_at").notNull(),
});

/**
 * How many events and sub-runs one execution of a function has started so far. Their ids come
 * from the trigger, the event and this count, so a redelivered function, run again, re-sends the
 * same ids and they are dropped as duplicates. A row lives while its execution runs.
 */
export const effectSequences = sqliteTable("effect_sequences", {
  execution: text("execution").primaryKey(),
  next: integer("next").notNull(),
  created_at: integer("created_at").notNull(),
});

/**
 * `Idempotency-Key` of a request that starts a run, per caller: the run it started and a hash of
 * the request, so a repeat gets the same run and a different request under the key is refused.
 * `id` is a hash of the caller's key and the Idempotency-Key (neither is stored).
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    id: text("id").primaryKey(),
    run_id: text("run_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    created_at: integer("created_at").notNull(),
  },
  (t) => [index("idempotency_keys_created_idx").on(t.created_at)],
);

/**
 * What one outside event has caused, per minute: the events sent and the runs started in its
 * cascade (events/cascade.ts). Rows of past minutes are deleted as new ones are counted.
 */
export const cascadeBudgets = sqliteTable(
  "cascade_budgets",
  {
    root: text("root").notNull(),
    kind: text("kind").notNull(),
    minute: integer("minute").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.root, t.kind, t.minute] }), index("cascade_budgets_minute_idx").on(t.minute)],
);

/** Domain contracts registered through the API (bundled ones live in contracts/). */
export const contracts = sqliteTable("contracts", {
  id: text("id").primaryKey(),
  definition: text("definition").notNull(),
  version: integer("version").notNull(),
  created_at: integer("created_at").notNull(),
  updated_at: integer("updated_at").notNull(),
});

/** Every version ever stored, so a run's recorded contract version can be read back. */
export const contractVersions = sqliteTable(
  "contract_versions",
  {
    contract_id: text("contract_id").notNull(),
    version: integer("version").notNull(),
    definition: text("definition").notNull(),
    created_at: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.contract_id, t.version] })],
);

/**
 * The contract gate's decisions about the tool calls of a governed function's execution (a run
 * keeps its own in its object): the record of who was refused what, and the calls that
 * succeeded, which later rules of the same execution see as `history`.
 */
export const contractCalls = sqliteTable(
  "contract_calls",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    execution: text("execution").notNull(),
    decision: text("decision").notNull(),
    /** null while pending or when refused; 1 succeeded (result kept); 0 failed. */
    ok: integer("ok"),
    result: text("result"),
    created_at: integer("created_at").notNull(),
  },
  (t) => [index("contract_calls_execution_idx").on(t.execution, t.seq)],
);
