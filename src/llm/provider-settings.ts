/**
 * LLM_PROVIDERS: more providers declared in configuration, as a JSON array of `{ name,
 * base_url, type?, models?, default_model?, api_key_secret?, allowed_fails?, cooldown_s? }`. A
 * key never appears in it: `api_key_secret` names another secret or var that holds the key,
 * read when a call needs it. A value that does not parse is kept as an error naming each bad
 * field by its path.
 */
import { z } from "zod";
import { readJsonSetting } from "./json-setting";
import { providerSchemas, type ModelInfo, type ProviderType } from "./provider";

/** A provider of LLM_PROVIDERS. */
export interface ProviderSetting {
  name: string;
  base_url: string;
  type?: ProviderType;
  allowed_fails?: number;
  cooldown_s?: number;
  models: ModelInfo[];
  default_model?: string;
  api_key_secret?: string;
}

export type ProviderSettings = { providers: ProviderSetting[]; error?: undefined } | { providers: []; error: string };

/** Names of Worker secrets and vars, as `api_key_secret` refers to one. */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const setting = z
  .object({
    ...providerSchemas,
    default_model: z.string().min(1).optional(),
    api_key_secret: z.string().regex(SECRET_NAME, "api_key_secret names a Worker secret or var that holds the key, e.g. OPENROUTER_KEY").optional(),
    // A key written here would sit in plain text in wrangler.toml or a dashboard var.
    api_key: z.never({ error: "the key itself never goes in LLM_PROVIDERS: store it as a secret and name that secret in api_key_secret" }).optional(),
  })
  .strict();

function settingsSchema(defaultName: string) {
  return z.array(setting).superRefine((settings, ctx) => {
    settings.forEach(({ name }, i) => {
      const taken = name === "default" || name === defaultName ? "the default provider's" : settings.findIndex((s) => s.name === name) < i ? "another provider's" : undefined;
      if (taken) ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${name}" is already ${taken} name` });
    });
  });
}

/**
 * Reads LLM_PROVIDERS: a JSON string (a secret, .dev.vars) or the array itself (a JSON var in
 * wrangler.toml); `defaultName` is the default provider's, which no entry may take.
 */
export function readProviderSettings(value: unknown, defaultName: string): ProviderSettings {
  const read = readJsonSetting("LLM_PROVIDERS", value, settingsSchema(defaultName));
  if (read === undefined) return { providers: [] };
  return read.error === undefined ? { providers: read.value } : { providers: [], error: read.error };
}
