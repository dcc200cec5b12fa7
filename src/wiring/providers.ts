/**
 * The provider registry as the Worker builds it: the default provider from LLM_BASE_URL /
 * LLM_API_KEY / LLM_MODEL (its type from LLM_PROVIDER_TYPE, else inferred from the URL), those
 * of LLM_PROVIDERS with each key read from the secret it names, and the providers registered
 * through `/providers`, read from D1 with their keys opened by SECRETS_KEY — keys only ever when
 * a call needs them. `LLM_PROVIDER=workers-ai` without a base URL makes the default provider
 * Workers AI, reached through the `AI` binding; any provider whose base URL is `workers-ai` is
 * handed the binding when it is called.
 */
import { llmConfigError, type Config } from "../config";
import { db } from "../db/client";
import { d1ProviderStore } from "../db/providers";
import { openSecret } from "../db/secrets";
import type { Env } from "../env";
import type { Provider } from "../llm/provider";
import { providerRegistry, type ProviderRegistry, type ProviderStore } from "../llm/provider-registry";
import { providerTypeOf } from "../llm/provider-type";
import { configuredBaseUrl, withWorkersAi } from "../llm/workers-ai";

export function defaultProvider(config: Config): Provider | undefined {
  const { apiKey, model, provider, providerType } = config.llm;
  const baseUrl = configuredBaseUrl(config.llm);
  if (!baseUrl) return undefined;
  const models = model ? [{ id: model, capabilities: ["chat" as const, "tools" as const, "streaming" as const] }] : [];
  return { name: provider, type: providerTypeOf(providerType, baseUrl), baseUrl, apiKey, defaultModel: model, models };
}

/** `store` replaces the D1 store (the router reads a cached copy). */
export function workerProviders(env: Pick<Env, "DB" | "SECRETS_KEY" | "AI">, config: Config, store: ProviderStore = d1ProviderStore(db(env.DB))): ProviderRegistry {
  const registry = providerRegistry({
    configured: defaultProvider(config),
    settings: config.llm.providers.providers,
    settingsError: llmConfigError(config),
    readSecret: (name) => secretNamed(env, name),
    store,
    openKey: (sealed) => openSecret(env.SECRETS_KEY, sealed),
  });
  return { ...registry, lookup: withWorkersAi(registry.lookup, env.AI) };
}

/** The secret or var a provider's `api_key_secret` names; it is not one of the declared ones, so it is read by name. */
function secretNamed(env: object, name: string): string | undefined {
  const value: unknown = Reflect.get(env, name);
  return typeof value === "string" && value !== "" ? value : undefined;
}
