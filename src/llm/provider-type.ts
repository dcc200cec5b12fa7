/**
 * A provider's type when its declaration leaves it out, inferred only where the base URL says it
 * beyond doubt: the Workers AI binding, the public OpenAI and OpenRouter APIs, and Ollama's own
 * port (11434). Anything else is `openai-compatible`; vLLM has no tell-tale URL, so it is
 * declared.
 */
import { isProviderType, PROVIDER_TYPES, WORKERS_AI, type ProviderType } from "./provider";

const OLLAMA_PORT = "11434";

export function inferProviderType(baseUrl: string): ProviderType {
  if (baseUrl === WORKERS_AI) return "workers-ai";
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return "openai-compatible";
  }
  if (url.hostname === "api.openai.com") return "openai";
  if (url.hostname === "openrouter.ai") return "openrouter";
  if (url.port === OLLAMA_PORT) return "ollama";
  return "openai-compatible";
}

/** The declared type, else the inferred one. */
export function providerTypeOf(declared: ProviderType | null | undefined, baseUrl: string): ProviderType {
  return declared ?? inferProviderType(baseUrl);
}

/** LLM_PROVIDER_TYPE: the default provider's declared type, if set. */
export function readProviderType(value: string | undefined): { type?: ProviderType; error?: string } {
  if (!value) return {};
  if (isProviderType(value)) return { type: value };
  return { error: `LLM_PROVIDER_TYPE "${value}" is not a provider type; use one of ${PROVIDER_TYPES.join(", ")}.` };
}
