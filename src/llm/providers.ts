/**
 * The provider registry as the Worker builds it: the default provider from LLM_BASE_URL /
 * LLM_API_KEY / LLM_MODEL, and the providers registered through `/providers`, read from D1
 * with their keys opened by SECRETS_KEY only when a call needs them.
 */
import type { Config } from "../config";
import { db } from "../db/client";
import { d1ProviderStore } from "../db/providers";
import { openSecret } from "../db/secrets";
import type { Env } from "../env";
import type { Provider, ProviderLookup } from "./client";
import { providerRegistry, type ProviderRegistry, type ProviderStore } from "./registry";

export function defaultProvider(config: Config): Provider | undefined {
  const { baseUrl, apiKey, model, provider } = config.llm;
  if (!baseUrl) return undefined;
  const models = model ? [{ id: model, capabilities: ["chat" as const, "tools" as const, "streaming" as const] }] : [];
  return { name: provider, baseUrl, apiKey, defaultModel: model, models };
}

export function workerProviders(env: Pick<Env, "DB" | "SECRETS_KEY">, config: Config): ProviderRegistry {
  return providerRegistry({
    configured: defaultProvider(config),
    store: d1ProviderStore(db(env.DB)),
    openKey: (sealed) => openSecret(env.SECRETS_KEY, sealed),
  });
}
