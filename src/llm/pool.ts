/**
 * A call's pool: every backend — a provider and the model it is asked for — that may serve it.
 *
 * - A model is served by every provider that lists it. One no provider lists goes to the
 *   default provider, which takes any model (a Workers AI model, `@cf/…`, to the Workers AI
 *   providers).
 * - `provider` (and `execute_config.providers`) narrow the pool. Each entry is read as a
 *   provider name first — that provider, whatever the model — then as a provider type: the
 *   providers of that type that list the model, else those of that type that take any model
 *   (the default provider, or one that declares no models). Chains of the seed runtime name
 *   types: `"provider": "ollama"` runs on whichever provider is an Ollama server.
 * - `group:NAME` is the group's members (narrowed the same way).
 * - Without a model, each provider offers its default model (for embeddings: its first
 *   embedding model).
 *
 * Anything that cannot be resolved is a configuration error naming what is configured.
 */
import { EngineError } from "../engine/errors";
import type { RoutingPolicy } from "../engine/routing";
import { groupNamed, type Group } from "./groups";
import { isProviderType, PROVIDER_TYPES, type ModelInfo } from "./provider";
import { defaultModelOf, type ProviderView } from "./provider-registry";

/** What routing knows of the deployment: its providers (no keys), its groups and which provider is the default. */
export interface Catalog {
  providers: ProviderView[];
  groups: Group[];
  /** The default provider's name; undefined when none is configured. */
  defaultName: string | undefined;
}

export interface Candidate {
  provider: ProviderView;
  model: string;
  /** Share under the `random` policy. */
  weight: number;
  /** The model as the provider declares it; undefined when it does not list it (it is then assumed to do everything). */
  info: ModelInfo | undefined;
}

export interface Pool {
  /** Set when no provider lists the model and the pool fell back to those that take any model. */
  fallback?: true;
  group?: string;
  /** The group's policy, if it sets one. */
  policy?: RoutingPolicy;
  candidates: Candidate[];
}

export type CallKind = "chat" | "embeddings";

export interface PoolTarget {
  kind: CallKind;
  model?: string;
  provider?: string;
  providers?: string[];
}

/** A narrowing entry, read as a name first, then as a type. */
type Entry = { name: ProviderView } | { type: string };

const WORKERS_AI_MODEL = "@cf/";

export function poolFor(catalog: Catalog, target: PoolTarget): Pool {
  const entries = narrowing(catalog, target);
  const groupName = groupNamed(target.model);
  if (groupName !== undefined) return groupPool(catalog, groupName, entries);
  return target.model === undefined ? { candidates: defaultModels(catalog, target.kind, entries) } : servers(catalog, target.model, entries);
}

function narrowing(catalog: Catalog, target: PoolTarget): Entry[] | undefined {
  const wanted = [...new Set([target.provider, ...(target.providers ?? [])].filter((entry): entry is string => entry !== undefined && entry !== ""))];
  if (wanted.length === 0) return undefined;
  return wanted.map((entry) => {
    const name = entry === "default" ? catalog.defaultName : entry;
    const provider = catalog.providers.find((p) => p.name === name);
    if (provider) return { name: provider };
    if (isProviderType(entry) && catalog.providers.some((p) => p.type === entry)) return { type: entry };
    throw new EngineError(
      "unknown_provider",
      `No provider or provider type "${entry}" is configured (configured: ${configured(catalog)}; types: ${PROVIDER_TYPES.join(", ")}). Register one with POST /providers {name, base_url, type}, declare it in LLM_PROVIDERS, or set LLM_PROVIDER_TYPE for the default provider.`,
      { retryable: false },
    );
  });
}

/** The providers that may serve `model`, narrowed by `entries`. */
function servers(catalog: Catalog, model: string, entries: Entry[] | undefined): Pool {
  const listing = (p: ProviderView) => p.models.some((m) => m.id === model);
  const takesAny = (p: ProviderView) => p.name === catalog.defaultName || p.models.length === 0;
  let fallback = false;
  let providers: ProviderView[];
  if (entries === undefined) {
    providers = catalog.providers.filter(listing);
    if (providers.length === 0) {
      fallback = true;
      providers = model.startsWith(WORKERS_AI_MODEL) ? catalog.providers.filter((p) => p.type === "workers-ai") : catalog.providers.filter((p) => p.name === catalog.defaultName);
    }
  } else {
    providers = unique(
      entries.flatMap((entry) => {
        if ("name" in entry) return [entry.name];
        const ofType = catalog.providers.filter((p) => p.type === entry.type);
        const listed = ofType.filter(listing);
        if (listed.length > 0) return listed;
        fallback = true;
        return ofType.filter(takesAny);
      }),
    );
  }
  if (providers.length === 0) {
    const among = entries === undefined ? "" : ` among ${entries.map((e) => ("name" in e ? e.name.name : `the ${e.type} providers`)).join(", ")}`;
    throw new EngineError("no_backend", `No provider${among} serves model "${model}" (configured: ${configured(catalog)}); list the model in a provider's models, or configure a default provider.`, { retryable: false });
  }
  return { ...(fallback ? { fallback: true as const } : {}), candidates: providers.map((provider) => candidate(provider, model)) };
}

/** Without a model: each provider's default one (for embeddings, its first embedding model). */
function defaultModels(catalog: Catalog, kind: CallKind, entries: Entry[] | undefined): Candidate[] {
  const providers =
    entries === undefined
      ? catalog.providers.filter((p) => (kind === "embeddings" ? true : p.name === catalog.defaultName))
      : unique(entries.flatMap((entry) => ("name" in entry ? [entry.name] : catalog.providers.filter((p) => p.type === entry.type))));
  const candidates = providers.flatMap((provider) => {
    const model = kind === "embeddings" ? provider.models.find((m) => m.capabilities.includes("embeddings"))?.id : defaultModelOf(provider);
    return model === undefined ? [] : [candidate(provider, model)];
  });
  if (candidates.length > 0) return candidates;
  const hint = kind === "embeddings" ? "set execute_config.model, or declare a model with the embeddings capability" : "set LLM_MODEL or the task's execute_config.model";
  throw new EngineError("missing_model", `No model given and no provider offers a default ${kind === "embeddings" ? "embedding model" : "model"}: ${hint}.`, { retryable: false });
}

function groupPool(catalog: Catalog, name: string, entries: Entry[] | undefined): Pool {
  const group = catalog.groups.find((g) => g.name === name);
  if (!group) {
    const known = catalog.groups.map((g) => g.name).join(", ") || "none";
    throw new EngineError("unknown_group", `No group "${name}" is configured (groups: ${known}); create it with POST /groups or declare it in LLM_GROUPS.`, { retryable: false });
  }
  const allowed = (p: ProviderView) => entries === undefined || entries.some((e) => ("name" in e ? e.name.name === p.name : e.type === p.type));
  const candidates = group.members.flatMap((member) => {
    const provider = catalog.providers.find((p) => p.name === member.provider);
    return provider && allowed(provider) ? [{ ...candidate(provider, member.model), weight: member.weight ?? 1 }] : [];
  });
  if (candidates.length === 0) {
    throw new EngineError("no_backend", `No member of group "${name}" can serve this call: its members' providers (${group.members.map((m) => m.provider).join(", ")}) are not configured${entries ? " or not among the providers the task names" : ""}.`, {
      retryable: false,
    });
  }
  return { group: name, ...(group.policy ? { policy: group.policy } : {}), candidates };
}

function candidate(provider: ProviderView, model: string): Candidate {
  return { provider, model, weight: 1, info: provider.models.find((m) => m.id === model) };
}

function unique(providers: ProviderView[]): ProviderView[] {
  return providers.filter((p, i) => providers.findIndex((q) => q.name === p.name) === i);
}

function configured(catalog: Catalog): string {
  return catalog.providers.map((p) => `${p.name} (${p.type})`).join(", ") || "no providers";
}
