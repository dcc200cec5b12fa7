/**
 * The Worker's bindings and variables as wrangler.toml and secrets declare them. Only the
 * edges (api, run, wiring, db) see this; the engine gets a typed config instead. It imports
 * nothing of ours, so seeing `Env` ties no module to the rest of the app (the run stub types
 * the ChainRun namespace at its own boundary; `worker-exports.d.ts` types `ctx.exports`).
 */

export interface Env {
  DB: D1Database;
  CHAIN_RUN: DurableObjectNamespace;
  /** The one Durable Object that keeps the routing state (health, latency, load) every run of the deployment shares. */
  ROUTING: DurableObjectNamespace;
  LOADER: WorkerLoader;
  EVENTS: Queue;
  /** Workers AI, for the provider whose base URL is `workers-ai`; absent unless wrangler.toml has `[ai]`. */
  AI?: Ai;
  API_KEYS?: string;
  LLM_BASE_URL?: string;
  LLM_API_KEY?: string;
  LLM_MODEL?: string;
  LLM_PROVIDER?: string;
  /** The default provider's type (openai, ollama, vllm, openrouter, workers-ai, openai-compatible); inferred from LLM_BASE_URL when absent. */
  LLM_PROVIDER_TYPE?: string;
  /** More providers, as JSON: a string (a secret or .dev.vars) or the array itself (a JSON var). Read by `readConfig`. */
  LLM_PROVIDERS?: unknown;
  /** Groups of backends (`"model": "group:NAME"`), as JSON like LLM_PROVIDERS. */
  LLM_GROUPS?: unknown;
  /** The routing policy where neither the task nor its group sets one (default priority). */
  ROUTING_POLICY?: string;
  /** Failures in a row after which a backend cools down (default 3). */
  ROUTING_ALLOWED_FAILS?: string;
  /** Seconds a backend cools down (default 30, or the retry-after it sent). */
  ROUTING_COOLDOWN_S?: string;
  EGRESS_ALLOW?: string;
  /** "public" where the runtime's network itself refuses private and loopback addresses (Cloudflare). */
  EGRESS_NETWORK?: string;
  SECRETS_KEY?: string;
  STEP_LIMIT?: string;
  RUN_WALL_MS?: string;
  MAX_STEP_OUTPUT_BYTES?: string;
  MAX_BODY_BYTES?: string;
  SUB_RUN_MAX_DEPTH?: string;
  SUB_RUN_MAX_DESCENDANTS?: string;
  EVENT_CASCADE_MAX_EVENTS?: string;
  EVENT_CASCADE_MAX_RUNS?: string;
  /** Test seam: a loopback URL the D1 copy asks before each write whether to fail (run/d1-copy.ts). */
  TEST_D1_FAULTS_URL?: string;
}
