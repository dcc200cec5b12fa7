/**
 * Provider lookup. The default provider comes from LLM_BASE_URL / LLM_API_KEY / LLM_MODEL;
 * registered providers join it in the providers work.
 */
import type { Config } from "../config";
import type { Provider, ProviderLookup } from "./client";

export function defaultProvider(config: Config): Provider | undefined {
  if (!config.llm.baseUrl) return undefined;
  return { name: config.llm.provider, baseUrl: config.llm.baseUrl, apiKey: config.llm.apiKey, defaultModel: config.llm.model };
}

export function providerLookup(config: Config): ProviderLookup {
  const fallback = defaultProvider(config);
  return async (name) => {
    if (!name || name === "default" || name === fallback?.name) return fallback;
    return undefined;
  };
}
