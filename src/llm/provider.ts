/**
 * The provider vocabulary every LLM module shares: a provider's fields as declared, its type,
 * its models and their capabilities, and the lookup the LLM client asks at the moment of a call.
 */
import { z } from "zod";

/** The base URL that names the Workers AI binding instead of an endpoint. */
export const WORKERS_AI = "workers-ai";

/** The part of the `Ai` binding this adapter calls; structural, so a test can pass a fake. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

export const CAPABILITIES = ["chat", "tools", "embeddings", "streaming"] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * The kinds of backend a provider can be. `execute_config.provider` may name one instead of a
 * provider (chains of the seed runtime say `"provider": "ollama"`); `openai-compatible` is any
 * other server that speaks OpenAI's API.
 */
export const PROVIDER_TYPES = ["openai", "ollama", "vllm", "openrouter", "workers-ai", "openai-compatible"] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export function isProviderType(value: string): value is ProviderType {
  return (PROVIDER_TYPES as readonly string[]).includes(value);
}

const BASE_URL_EXPECTED = `base_url must be an http(s) URL, e.g. https://api.openai.com/v1, or "${WORKERS_AI}"`;

/** The fields a provider has wherever it is declared: a `/providers` document or LLM_PROVIDERS. */
export const providerSchemas = {
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "a provider name is 1-64 letters, digits, '_', '.' or '-'"),
  /** An OpenAI-compatible http(s) base URL, or "workers-ai" for the Workers AI binding. */
  base_url: z.union([z.literal(WORKERS_AI), z.url({ protocol: /^https?$/, error: BASE_URL_EXPECTED })], { error: BASE_URL_EXPECTED }),
  /** Inferred from the base URL when left out (see provider-type.ts). */
  type: z.enum(PROVIDER_TYPES, { error: `type must be one of ${PROVIDER_TYPES.join(", ")}` }).optional(),
  /** Failures in a row after which the backend cools down; ROUTING_ALLOWED_FAILS otherwise. */
  allowed_fails: z.int().positive().optional(),
  /** Seconds the backend cools down; ROUTING_COOLDOWN_S otherwise (a retry-after it sends wins). */
  cooldown_s: z.number().positive().optional(),
  models: z
    .array(
      z
        .object({
          id: z.string().min(1, "a model needs an id"),
          context_length: z.int().positive().optional(),
          capabilities: z.array(z.enum(CAPABILITIES)).default(["chat", "tools", "streaming"]),
        })
        .strict(),
    )
    .default([]),
};

export interface ModelInfo {
  id: string;
  context_length?: number;
  capabilities: Capability[];
}

/** A provider ready to call, its key opened. */
export interface Provider {
  name: string;
  type: ProviderType;
  baseUrl: string;
  apiKey?: string;
  defaultModel?: string;
  /** The models the provider declares; a model not listed is assumed to support everything. */
  models?: ModelInfo[];
  /** The Workers AI binding, for a provider whose base URL is `workers-ai` (absent when the Worker has none). */
  ai?: AiBinding;
}

export type ProviderLookup = (name: string | undefined) => Promise<Provider | undefined>;
