/**
 * Typed configuration read once from the Worker's vars and secrets; logic below the edges
 * receives this, never `env`.
 */
import type { Env } from "./env";
import { readProviderSettings, type ProviderSettings } from "./llm/provider-settings";

export interface Config {
  stepLimit: number;
  runWallMs: number;
  maxStepOutputBytes: number;
  maxBodyBytes: number;
  llm: {
    baseUrl?: string;
    apiKey?: string;
    model?: string;
    /** The default provider's name. */
    provider: string;
    /** More providers, from LLM_PROVIDERS; when it is invalid, none and the error, which every use of the providers reports. */
    providers: ProviderSettings;
  };
  /** Bounds on the work one run or one outside event can cause (see run/descendants.ts and events/cascade.ts). */
  limits: {
    /** SUB_RUN_MAX_DEPTH: how deep sub-runs (executeTaskChain) may nest below their root run. */
    subRunDepth: number;
    /** SUB_RUN_MAX_DESCENDANTS: how many sub-runs one root run may cause in all, at any depth. */
    subRunDescendants: number;
    /** EVENT_CASCADE_MAX_EVENTS: events one outside event may cause per minute, at any hop. */
    cascadeEvents: number;
    /** EVENT_CASCADE_MAX_RUNS: runs its triggers may start per minute. */
    cascadeRuns: number;
  };
  egressAllow: string;
  /** EGRESS_NETWORK=public: the runtime's network refuses non-public addresses itself (see egress/policy.ts). */
  egressPublicNetwork: boolean;
  /** Test seam only (see run/d1-copy.ts `d1Writer`); never set in production. */
  testD1FaultsUrl?: string;
}

const DEFAULTS = {
  stepLimit: 1000,
  runWallMs: 15 * 60_000,
  maxStepOutputBytes: 256 * 1024,
  maxBodyBytes: 1024 * 1024,
  subRunDepth: 5,
  subRunDescendants: 100,
  cascadeEvents: 200,
  cascadeRuns: 100,
} as const;

function positiveInt(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function readConfig(env: Env): Config {
  const provider = env.LLM_PROVIDER || "default";
  return {
    stepLimit: positiveInt(env.STEP_LIMIT, DEFAULTS.stepLimit),
    runWallMs: positiveInt(env.RUN_WALL_MS, DEFAULTS.runWallMs),
    maxStepOutputBytes: positiveInt(env.MAX_STEP_OUTPUT_BYTES, DEFAULTS.maxStepOutputBytes),
    maxBodyBytes: positiveInt(env.MAX_BODY_BYTES, DEFAULTS.maxBodyBytes),
    llm: {
      baseUrl: env.LLM_BASE_URL || undefined,
      apiKey: env.LLM_API_KEY || undefined,
      model: env.LLM_MODEL || undefined,
      provider,
      providers: readProviderSettings(env.LLM_PROVIDERS, provider),
    },
    limits: {
      subRunDepth: positiveInt(env.SUB_RUN_MAX_DEPTH, DEFAULTS.subRunDepth),
      subRunDescendants: positiveInt(env.SUB_RUN_MAX_DESCENDANTS, DEFAULTS.subRunDescendants),
      cascadeEvents: positiveInt(env.EVENT_CASCADE_MAX_EVENTS, DEFAULTS.cascadeEvents),
      cascadeRuns: positiveInt(env.EVENT_CASCADE_MAX_RUNS, DEFAULTS.cascadeRuns),
    },
    egressAllow: env.EGRESS_ALLOW ?? "",
    egressPublicNetwork: env.EGRESS_NETWORK === "public",
    ...(env.TEST_D1_FAULTS_URL ? { testD1FaultsUrl: env.TEST_D1_FAULTS_URL } : {}),
  };
}

/** Values `{{var:model}}` / `{{var:provider}}` fall back to when a run does not set them. */
export function macroDefaults(config: Config): Record<string, string> {
  const defaults: Record<string, string> = { provider: config.llm.provider };
  if (config.llm.model) defaults.model = config.llm.model;
  return defaults;
}
