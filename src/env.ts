/**
 * The Worker's bindings and variables as wrangler.toml and secrets declare them. Only the
 * edges (api, run, sandbox, db) see this; the engine gets a typed config instead.
 */
import type { ChainRun } from "./run/chain-run";

export interface Env {
  DB: D1Database;
  CHAIN_RUN: DurableObjectNamespace<ChainRun>;
  LOADER: WorkerLoader;
  EVENTS: Queue;
  /** Workers AI, for the provider whose base URL is `workers-ai`; absent unless wrangler.toml has `[ai]`. */
  AI?: Ai;
  API_KEYS?: string;
  LLM_BASE_URL?: string;
  LLM_API_KEY?: string;
  LLM_MODEL?: string;
  LLM_PROVIDER?: string;
  /** More providers, as JSON: a string (a secret or .dev.vars) or the array itself (a JSON var). Read by `readConfig`. */
  LLM_PROVIDERS?: unknown;
  EGRESS_ALLOW?: string;
  SECRETS_KEY?: string;
  STEP_LIMIT?: string;
  RUN_WALL_MS?: string;
  MAX_STEP_OUTPUT_BYTES?: string;
  MAX_BODY_BYTES?: string;
}

declare global {
  namespace Cloudflare {
    /** Types `ctx.exports` / `exports` from "cloudflare:workers" after the Worker's own exports. */
    interface GlobalProps {
      mainModule: typeof import("./index");
      durableNamespaces: "ChainRun";
    }
  }
}
