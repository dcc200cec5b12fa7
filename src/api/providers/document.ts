/**
 * The provider document the API accepts, and how it becomes a stored provider: the key is
 * sealed on the way in and never comes back out (views show `has_api_key` only).
 */
import type { Context } from "hono";
import { z } from "zod";
import { llmConfigError, readConfig } from "../../config";
import { SecretsKeyMissing, sealSecret } from "../../db/secrets";
import { PROVIDER_TYPES, providerSchemas } from "../../llm/provider";
import type { ProviderRegistry, ProviderView, StoredProvider } from "../../llm/provider-registry";
import { workerProviders } from "../../wiring/providers";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";

const fields = {
  base_url: providerSchemas.base_url,
  type: providerSchemas.type,
  /** Write-only; on update, absent keeps the stored key and null removes it. */
  api_key: z.string().min(1, "api_key must not be empty (send null to remove the key)").nullable().optional(),
  models: providerSchemas.models,
  default_model: z.string().min(1).nullable().optional(),
  allowed_fails: providerSchemas.allowed_fails,
  cooldown_s: providerSchemas.cooldown_s,
};

export const updateProviderBody = z.object({ name: providerSchemas.name.optional(), ...fields }).strict();
/** On registration, leaving `models` out asks the backend for them (model discovery). */
export const createProviderBody = z.object({ name: providerSchemas.name, ...fields, models: providerSchemas.models.removeDefault().optional() }).strict();

export type ProviderDocument = z.infer<typeof updateProviderBody>;

export const providerViewSchema = z
  .object({
    name: z.string(),
    base_url: z.string(),
    type: z.enum(PROVIDER_TYPES).meta({ description: "Declared, or inferred from the base URL" }),
    allowed_fails: z.int().nullable().meta({ description: "Failures in a row before the provider cools down; null means ROUTING_ALLOWED_FAILS" }),
    cooldown_s: z.number().nullable().meta({ description: "Seconds a failing provider cools down; null means ROUTING_COOLDOWN_S" }),
    models: providerSchemas.models,
    default_model: z.string().nullable(),
    has_api_key: z.boolean().meta({ description: "The key itself is write-only" }),
    source: z.enum(["config", "api"]),
    created_at: z.number().nullable(),
    updated_at: z.number().nullable(),
  })
  .meta({ id: "Provider" }) satisfies z.ZodType<ProviderView>;

/** The registry, refusing with a 500 while LLM_PROVIDERS (or another LLM setting) is invalid: listing without its providers would hide the mistake. */
export function registryOf(c: Context<AppEnv>): ProviderRegistry {
  const config = readConfig(c.env);
  const error = llmConfigError(config);
  if (error !== undefined) throw new ApiError(500, "config_invalid", error);
  return workerProviders(c.env, config);
}

/** Refuses names the configuration owns: the API cannot replace or delete those providers. */
export function requireApiOwned(registry: ProviderRegistry, name: string): void {
  if (registry.fromConfig(name)) {
    const where = registry.isConfigured(name) ? "LLM_BASE_URL, LLM_API_KEY, LLM_MODEL" : "LLM_PROVIDERS";
    throw new ApiError(409, "conflict", `Provider "${name}" comes from configuration (${where}); change it there, or register under another name.`, { path: "name" });
  }
}

/** The stored form of a document; `previousKey` is kept when the document does not mention `api_key`. */
export async function storedProvider(c: Context<AppEnv>, name: string, doc: ProviderDocument, previous: { sealed_key: string | null; created_at: number } | undefined): Promise<StoredProvider> {
  const now = Date.now();
  return {
    name,
    base_url: doc.base_url,
    type: doc.type ?? null,
    allowed_fails: doc.allowed_fails ?? null,
    cooldown_s: doc.cooldown_s ?? null,
    sealed_key: doc.api_key === undefined ? (previous?.sealed_key ?? null) : doc.api_key === null ? null : await seal(c, doc.api_key),
    models: doc.models,
    default_model: doc.default_model ?? null,
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
}

async function seal(c: Context<AppEnv>, key: string): Promise<string> {
  try {
    return await sealSecret(c.env.SECRETS_KEY, key);
  } catch (err) {
    if (err instanceof SecretsKeyMissing) throw new ApiError(500, "secrets_key_missing", err.message, { path: "api_key" });
    throw err;
  }
}
