/**
 * The CLI's config files: `.switchyard/config.json` in the working directory, then in the home
 * directory. Both are read and the working directory's wins key by key, so a home file can hold
 * the key and a project's file its default chain. A relative `default-chain` path is relative to
 * the folder that holds `.switchyard/`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { CliError, usageError } from "./errors";

export const CONFIG_KEYS = ["url", "key", "default-chain"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

export interface ConfigValue {
  value: string;
  /** The file it came from. */
  file: string;
}

export function configPath(global: boolean, cwd = process.cwd()): string {
  return join(global ? homedir() : cwd, ".switchyard", "config.json");
}

export function requireConfigKey(key: string): ConfigKey {
  if ((CONFIG_KEYS as readonly string[]).includes(key)) return key as ConfigKey;
  throw usageError(`Unknown setting "${key}"; the settings are ${CONFIG_KEYS.join(", ")}.`);
}

/** Every setting the config files hold, the working directory's first. */
export function readConfig(cwd = process.cwd()): Partial<Record<ConfigKey, ConfigValue>> {
  const files = [configPath(true), configPath(false, cwd)].filter((file, index, all) => all.indexOf(file) === index && existsSync(file));
  const merged: Partial<Record<ConfigKey, ConfigValue>> = {};
  for (const file of files) {
    for (const [key, value] of Object.entries(readFile(file))) {
      if (!(CONFIG_KEYS as readonly string[]).includes(key) || typeof value !== "string") continue;
      const resolved = key === "default-chain" && isPathLike(value) ? resolve(dirname(dirname(file)), value) : value;
      merged[key as ConfigKey] = { value: resolved, file };
    }
  }
  return merged;
}

export function writeConfigValue(file: string, key: ConfigKey, value: string): void {
  const current = existsSync(file) ? readFile(file) : {};
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...current, [key]: value }, null, 2)}\n`);
}

function readFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError(`The config file ${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new CliError(`The config file ${file} must hold a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** A value that names a file rather than a chain id. */
export function isPathLike(value: string): boolean {
  return /[\\/]/.test(value) || /\.jsonc?$/.test(value);
}
