/**
 * Typed configuration read once from the Worker's vars and secrets; logic below the edges
 * receives this, never `env`.
 */
import type { Env } from "./env";
import { readGroupSettings, type GroupSettings } from "./llm/groups";
import type { ProviderType } from "./llm/provider";
import { readProviderType } from "./llm/provider-type";
import { readProviderSettings, type ProviderSettings } from "./llm/provider-settings";
import { readRoutingDefaults, type RoutingDefaults } from "./llm/routing-defaults";

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
    /** The default provider's type (LLM_PROVIDER_TYPE), when declared rather than inferred from its base URL. */
    providerType?: ProviderType;
    /** More providers, from LLM_PROVIDERS; when it is invalid, none and the error, which every use of the providers reports. */
    providers: ProviderSettings;
    /** Groups of backends, from LLM_GROUPS; reported like LLM_PROVIDERS when invalid. */
    groups: GroupSettings;
    /** ROUTING_POLICY, ROUTING_ALLOWED_FAILS, ROUTING_COOLDOWN_S. */
    routing: RoutingDefaults;
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

/**
 * The last answer of `parse` for the last arguments: LLM_PROVIDERS and LLM_GROUPS are checked
 * with their schemas, and config is read on every request and by every run, while the texts
 * change only with a deploy. The parsed settings are shared, never changed.
 */
function lastParsed<A extends unknown[], R>(parse: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) return last.result;
    last = { args, result: parse(...args) };
    return last.result;
  };
}

const providerSettings = lastParsed(readProviderSettings);
const groupSettings = lastParsed(readGroupSettings);

function positiveInt(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function readConfig(env: Env): Config {
  const provider = env.LLM_PROVIDER || "default";
  const providerType = readProviderType(env.LLM_PROVIDER_TYPE);
  // A wrong type for the default provider is reported wherever LLM_PROVIDERS's mistakes are.
  const providers: ProviderSettings = providerType.error === undefined ? providerSettings(env.LLM_PROVIDERS, provider) : { providers: [], error: providerType.error };
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
      ...(providerType.type ? { providerType: providerType.type } : {}),
      providers,
      groups: groupSettings(env.LLM_GROUPS),
      routing: readRoutingDefaults(env),
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

/**
 * Values `{{var:model}}` / `{{var:provider}}` fall back to when a run does not set them. No
 * provider is named by default: an unnamed provider means every backend that serves the model
 * (its pool), and the default provider for a model no provider lists.
 */
export function macroDefaults(config: Config): Record<string, string> {
  const defaults: Record<string, string> = { provider: "" };
  if (config.llm.model) defaults.model = config.llm.model;
  return defaults;
}

/** The first mistake in the LLM settings (LLM_PROVIDER_TYPE, LLM_PROVIDERS, LLM_GROUPS, ROUTING_POLICY): every use of the providers reports it rather than go on without them. */
export function llmConfigError(config: Config): string | undefined {
  return config.llm.providers.error ?? config.llm.groups.error ?? config.llm.routing.error;
}
