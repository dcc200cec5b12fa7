/**
 * The provider registry: the default provider from configuration (LLM_BASE_URL, LLM_API_KEY,
 * LLM_MODEL) plus the providers registered through the API, stored with their key sealed. It
 * answers two questions: which endpoint and key serve a provider name — asked by the LLM client
 * at the moment of a call, the only moment a key is opened — and which providers and models
 * exist, for listings that never include a key.
 */
import { EngineError } from "../engine/types";
import type { Provider, ProviderLookup } from "./client";

export const CAPABILITIES = ["chat", "tools", "embeddings", "streaming"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface ModelInfo {
  id: string;
  context_length?: number;
  capabilities: Capability[];
}

/** A registered provider as stored; `sealed_key` is the API key sealed with SECRETS_KEY. */
export interface StoredProvider {
  name: string;
  base_url: string;
  sealed_key: string | null;
  models: ModelInfo[];
  default_model: string | null;
  created_at: number;
  updated_at: number;
}

/** Read access to the registered providers (D1 in the Worker, a map in tests). */
export interface ProviderStore {
  list(): Promise<StoredProvider[]>;
  find(name: string): Promise<StoredProvider | undefined>;
}

/** A provider as the API shows it: whether it has a key, never the key. */
export interface ProviderView {
  name: string;
  base_url: string;
  models: ModelInfo[];
  default_model: string | null;
  has_api_key: boolean;
  source: "config" | "api";
  created_at: number | null;
  updated_at: number | null;
}

export interface ProviderRegistry {
  /** For the LLM client: no name (or "default", or the configured name) means the configured provider. */
  lookup: ProviderLookup;
  list(): Promise<ProviderView[]>;
  find(name: string): Promise<ProviderView | undefined>;
  /** The provider that lists `model`: the configured one first, then registered ones by name. */
  ownerOf(model: string): Promise<string | undefined>;
  /** Whether `name` is the configured provider's, which the API cannot replace or delete. */
  isConfigured(name: string): boolean;
}

export interface RegistryOptions {
  configured?: Provider;
  store: ProviderStore;
  openKey: (sealed: string) => Promise<string>;
}

export function providerRegistry({ configured, store, openKey }: RegistryOptions): ProviderRegistry {
  const isConfigured = (name: string | undefined) => !name || name === "default" || name === configured?.name;
  const configuredView = configured && viewOfConfigured(configured);

  return {
    isConfigured: (name) => isConfigured(name),
    async lookup(name) {
      if (isConfigured(name)) return configured;
      const stored = await store.find(name!);
      return stored && (await callable(stored, openKey));
    },
    async list() {
      const registered = (await store.list()).map(viewOfStored);
      return configuredView ? [configuredView, ...registered] : registered;
    },
    async find(name) {
      if (isConfigured(name)) return configuredView;
      const stored = await store.find(name);
      return stored && viewOfStored(stored);
    },
    async ownerOf(model) {
      if (configured && configuredView?.models.some((m) => m.id === model)) return configured.name;
      return (await store.list()).find((p) => p.models.some((m) => m.id === model))?.name;
    },
  };
}

/** The model a provider answers with when a request names none: its default, else its first chat model. */
export function defaultModelOf(provider: { default_model: string | null; models: ModelInfo[] }): string | undefined {
  return provider.default_model ?? provider.models.find((m) => m.capabilities.includes("chat"))?.id;
}

async function callable(stored: StoredProvider, openKey: (sealed: string) => Promise<string>): Promise<Provider> {
  let apiKey: string | undefined;
  if (stored.sealed_key !== null) {
    try {
      apiKey = await openKey(stored.sealed_key);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new EngineError("provider_key_unreadable", `The API key of provider "${stored.name}" cannot be opened (${reason}); was SECRETS_KEY changed? Store the key again with PUT /providers/${stored.name}.`, {
        retryable: false,
      });
    }
  }
  return { name: stored.name, baseUrl: stored.base_url, apiKey, defaultModel: defaultModelOf(stored), models: stored.models };
}

function viewOfStored(stored: StoredProvider): ProviderView {
  return {
    name: stored.name,
    base_url: stored.base_url,
    models: stored.models,
    default_model: stored.default_model,
    has_api_key: stored.sealed_key !== null,
    source: "api",
    created_at: stored.created_at,
    updated_at: stored.updated_at,
  };
}

function viewOfConfigured(provider: Provider): ProviderView {
  return {
    name: provider.name,
    base_url: provider.baseUrl,
    models: provider.models ?? [],
    default_model: provider.defaultModel ?? null,
    has_api_key: provider.apiKey !== undefined,
    source: "config",
    created_at: null,
    updated_at: null,
  };
}
