/**
 * The provider registry: the providers from configuration — the default one (LLM_BASE_URL,
 * LLM_API_KEY, LLM_MODEL) and those of LLM_PROVIDERS — plus the providers registered through
 * the API, stored with their key sealed. It answers two questions: which endpoint and key serve
 * a provider name — asked by the LLM client at the moment of a call, the only moment a key is
 * opened or read — and which providers and models exist, for listings that never include a key.
 */
import { EngineError } from "../engine/errors";
import type { ModelInfo, Provider, ProviderLookup, ProviderType } from "./provider";
import type { ProviderSetting } from "./provider-settings";
import { providerTypeOf } from "./provider-type";

export interface StoredProvider {
  name: string;
  base_url: string;
  /** As declared; null means inferred from the base URL. */
  type: ProviderType | null;
  allowed_fails: number | null;
  cooldown_s: number | null;
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
  /** Declared, or inferred from the base URL. */
  type: ProviderType;
  /** The provider's own health thresholds; null means the deployment's (ROUTING_ALLOWED_FAILS, ROUTING_COOLDOWN_S). */
  allowed_fails: number | null;
  cooldown_s: number | null;
  models: ModelInfo[];
  default_model: string | null;
  has_api_key: boolean;
  source: "config" | "api";
  created_at: number | null;
  updated_at: number | null;
}

export interface ProviderRegistry {
  /** For the LLM client: no name (or "default", or the configured name) means the default provider. */
  lookup: ProviderLookup;
  /** The default provider, then those of LLM_PROVIDERS, then the registered ones. */
  list(): Promise<ProviderView[]>;
  find(name: string): Promise<ProviderView | undefined>;
  /** Whether `name` means the default provider, which a run reaches without naming it. */
  isConfigured(name: string): boolean;
  /** Whether configuration owns `name` (the default provider or one of LLM_PROVIDERS): the API cannot replace or delete it. */
  fromConfig(name: string): boolean;
}

export interface RegistryOptions {
  /** The default provider. */
  configured?: Provider;
  /** The providers of LLM_PROVIDERS; a registered provider of the same name is hidden by its namesake. */
  settings?: ProviderSetting[];
  /** Why LLM_PROVIDERS was refused: every lookup and listing fails with it rather than go on without those providers. */
  settingsError?: string;
  /** The value of the secret or var a setting's `api_key_secret` names, read when a call needs it. */
  readSecret?: (name: string) => string | undefined;
  store: ProviderStore;
  openKey: (sealed: string) => Promise<string>;
}

export function providerRegistry({ configured, settings = [], settingsError, readSecret = () => undefined, store, openKey }: RegistryOptions): ProviderRegistry {
  const isDefault = (name: string | undefined) => !name || name === "default" || name === configured?.name;
  const settingNamed = (name: string) => settings.find((s) => s.name === name);
  const configuredView = configured && viewOfConfigured(configured);
  const settingView = (setting: ProviderSetting) => viewOfSetting(setting, setting.api_key_secret !== undefined && readSecret(setting.api_key_secret) !== undefined);
  const requireValidSettings = () => {
    if (settingsError !== undefined) throw new EngineError("config_invalid", settingsError, { retryable: false });
  };

  async function list(): Promise<ProviderView[]> {
    requireValidSettings();
    const registered = (await store.list()).filter((p) => !settingNamed(p.name)).map(viewOfStored);
    return [...(configuredView ? [configuredView] : []), ...settings.map(settingView), ...registered];
  }

  return {
    isConfigured: (name) => isDefault(name),
    fromConfig: (name) => isDefault(name) || settingNamed(name) !== undefined,
    async lookup(name) {
      requireValidSettings();
      if (isDefault(name)) return configured;
      const setting = settingNamed(name!);
      if (setting) return callableSetting(setting, readSecret);
      const stored = await store.find(name!);
      return stored && (await callable(stored, openKey));
    },
    list,
    async find(name) {
      requireValidSettings();
      if (isDefault(name)) return configuredView;
      const setting = settingNamed(name);
      if (setting) return settingView(setting);
      const stored = await store.find(name);
      return stored && viewOfStored(stored);
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
  return { name: stored.name, type: providerTypeOf(stored.type, stored.base_url), baseUrl: stored.base_url, apiKey, defaultModel: defaultModelOf(stored), models: stored.models };
}

function callableSetting(setting: ProviderSetting, readSecret: (name: string) => string | undefined): Provider {
  const secret = setting.api_key_secret;
  const apiKey = secret === undefined ? undefined : readSecret(secret);
  if (secret !== undefined && apiKey === undefined) {
    throw new EngineError("provider_key_missing", `Provider "${setting.name}" takes its API key from ${secret}, which is not set; set it with \`wrangler secret put ${secret}\` (or in .dev.vars).`, {
      retryable: false,
    });
  }
  const defaultModel = defaultModelOf({ default_model: setting.default_model ?? null, models: setting.models });
  return { name: setting.name, type: providerTypeOf(setting.type, setting.base_url), baseUrl: setting.base_url, apiKey, defaultModel, models: setting.models };
}

function viewOfStored(stored: StoredProvider): ProviderView {
  return {
    name: stored.name,
    base_url: stored.base_url,
    type: providerTypeOf(stored.type, stored.base_url),
    allowed_fails: stored.allowed_fails,
    cooldown_s: stored.cooldown_s,
    models: stored.models,
    default_model: stored.default_model,
    has_api_key: stored.sealed_key !== null,
    source: "api",
    created_at: stored.created_at,
    updated_at: stored.updated_at,
  };
}

function viewOfConfigured({ name, type, baseUrl, apiKey, defaultModel, models = [] }: Provider): ProviderView {
  return viewOfSetting({ name, type, base_url: baseUrl, models, default_model: defaultModel }, apiKey !== undefined);
}

function viewOfSetting(setting: ProviderSetting, hasKey: boolean): ProviderView {
  return {
    name: setting.name,
    base_url: setting.base_url,
    type: providerTypeOf(setting.type, setting.base_url),
    allowed_fails: setting.allowed_fails ?? null,
    cooldown_s: setting.cooldown_s ?? null,
    models: setting.models,
    default_model: setting.default_model ?? null,
    has_api_key: hasKey,
    source: "config",
    created_at: null,
    updated_at: null,
  };
}
