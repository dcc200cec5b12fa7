/**
 * Where the CLI talks to and what it runs by default, each with where it came from: a flag beats
 * the environment (`SWITCHYARD_URL`, `SWITCHYARD_API_KEY`), which beats the config files.
 */
import { readConfig, type ConfigKey } from "./config-file";
import { usageError } from "./errors";

export const DEFAULT_URL = "http://127.0.0.1:8787";
export const DEFAULT_CHAIN = "default-chain";

export interface Setting {
  value: string | undefined;
  /** `--url`, `SWITCHYARD_URL`, a config file's path, or `default`. */
  from: string;
}

export type Settings = Record<ConfigKey, Setting>;

export interface Flags {
  url?: string;
  key?: string;
}

const ENV: Partial<Record<ConfigKey, string>> = { url: "SWITCHYARD_URL", key: "SWITCHYARD_API_KEY" };
const DEFAULTS: Partial<Record<ConfigKey, string>> = { url: DEFAULT_URL, "default-chain": DEFAULT_CHAIN };

export function resolveSettings(flags: Flags, env: NodeJS.ProcessEnv = process.env): Settings {
  const config = readConfig();
  const pick = (key: ConfigKey, flag: string | undefined): Setting => {
    const variable = ENV[key];
    if (flag !== undefined) return { value: flag, from: `--${key}` };
    if (variable && env[variable]) return { value: env[variable], from: variable };
    const stored = config[key];
    if (stored) return { value: stored.value, from: stored.file };
    return { value: DEFAULTS[key], from: "default" };
  };
  const settings: Settings = { url: pick("url", flags.url), key: pick("key", flags.key), "default-chain": pick("default-chain", undefined) };
  requireHttpUrl(settings.url);
  return settings;
}

export function requireHttpUrl(setting: Setting): void {
  const text = setting.value ?? "";
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "http:" && protocol !== "https:") throw usageError(`The runtime URL "${text}" (from ${setting.from}) is not an http(s) URL.`);
}
