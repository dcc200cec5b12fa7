/**
 * Every secret this runtime holds, opened: the API keys, SECRETS_KEY, the default provider's
 * key and those LLM_PROVIDERS names, and the credentials sealed in D1 (provider keys, tool
 * credentials, webhook secrets). None is ever handed to sandboxed code; as a second line,
 * whatever reaches it (capability results, HTTP responses) is scrubbed of all of them, since a
 * service may echo a credential back, on a debug page, in an error, in a request log.
 */
import type { Config } from "../config";
import { db } from "../db/client";
import { listSealedSecrets } from "../db/sealed-secrets";
import { openSecret } from "../db/secrets";
import type { Env } from "../env";
import { credentialsFromJson, secretScrubber, secretValues, type SecretScrubber } from "../tools/credentials";

export async function runtimeSecrets(env: Env, config: Config): Promise<string[]> {
  const named = config.llm.providers.providers.flatMap((p) => (p.api_key_secret ? [Reflect.get(env, p.api_key_secret)] : []));
  const apiKeys = (env.API_KEYS ?? "").split(",").flatMap((entry) => [entry.trim(), entry.slice(entry.indexOf(":") + 1).trim()]);
  const plain = [config.llm.apiKey, env.SECRETS_KEY, ...named, ...apiKeys].filter((v): v is string => typeof v === "string" && v !== "");
  const sealed = await listSealedSecrets(db(env.DB));
  const opened = await Promise.all(sealed.map((s) => openStored(env, s)));
  return [...plain, ...opened.flat()];
}

/**
 * Settings hold placeholders too (`LLM_API_KEY=none` for a local model): a value this short is
 * no secret, and scrubbing it from everything the sandbox sees would mangle ordinary text.
 */
const MIN_SECRET_LENGTH = 8;

export async function runtimeScrubber(env: Env, config: Config): Promise<SecretScrubber> {
  return secretScrubber(await runtimeSecrets(env, config), MIN_SECRET_LENGTH);
}

/**
 * A sealed value is a plain secret (a provider key, a webhook secret) or a tool's credentials
 * (JSON); one that cannot be opened (SECRETS_KEY changed) holds nothing this runtime could use.
 */
async function openStored(env: Env, sealed: string): Promise<string[]> {
  let opened: string;
  try {
    opened = await openSecret(env.SECRETS_KEY, sealed);
  } catch {
    return [];
  }
  return opened.startsWith("{") ? secretValues(credentialsFromJson(opened)) : [opened];
}
