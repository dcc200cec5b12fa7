/**
 * `switchyard config set KEY VALUE [--global] | get KEY | list`: the settings the CLI keeps in
 * `.switchyard/config.json` — `url`, `key`, `default-chain` — in the working directory, or with
 * `--global` in the home directory. `get` and `list` show the values in effect, flags and
 * environment included, and where each came from.
 */
import type { Command } from "commander";
import { CONFIG_KEYS, configPath, requireConfigKey, writeConfigValue, type ConfigKey } from "../config-file";
import { CliError } from "../errors";
import { print, printJson, printTable } from "../output";
import { requireHttpUrl, resolveSettings, type Setting, type Settings } from "../settings";

export function registerConfig(program: Command): void {
  const config = program.command("config").description("the CLI's settings: url, key, default-chain");
  config
    .command("set")
    .description("store a setting")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .argument("<value>", "its value")
    .option("--global", "in the home directory's .switchyard/config.json, not the working directory's")
    .action((key: string, value: string, options: { global?: boolean }) => {
      const file = configPath(options.global === true);
      if (key === "url") requireHttpUrl({ value, from: "config set" });
      writeConfigValue(file, requireConfigKey(key), value);
      print(`${key} set in ${file}`);
    });
  config
    .command("get")
    .description("the value in effect")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .action((key: string, _options: unknown, command: Command) => {
      const setting = settingsOf(command)[requireConfigKey(key)];
      if (setting.value === undefined) throw new CliError(`${key} is not set.`);
      print(setting.value);
    });
  config
    .command("list")
    .description("every setting in effect and where it came from")
    .action((_options: unknown, command: Command) => {
      const settings = settingsOf(command);
      if (command.optsWithGlobals<{ json?: boolean }>().json) return printJson(Object.fromEntries(CONFIG_KEYS.map((key) => [key, { value: shown(key, settings[key]), from: settings[key].from }])));
      printTable(["setting", "value", "from"], CONFIG_KEYS.map((key) => [key, shown(key, settings[key]), settings[key].from]));
    });
}

function settingsOf(command: Command): Settings {
  const { url, key } = command.optsWithGlobals<{ url?: string; key?: string }>();
  return resolveSettings({ url, key });
}

/** A key shows only its last four characters (`get key` prints it whole). */
function shown(key: ConfigKey, setting: Setting): string {
  if (setting.value === undefined) return "";
  return key === "key" ? `…${setting.value.slice(-4)}` : setting.value;
}
