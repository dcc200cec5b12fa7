/**
 * What every command needs from the command line it was given: the resolved settings, a client
 * for the runtime they name, and whether to answer in JSON.
 */
import type { Command } from "commander";
import { Client } from "./client";
import { resolveSettings, type Settings } from "./settings";

export interface Context {
  settings: Settings;
  client: Client;
  json: boolean;
}

export function contextOf(command: Command): Context {
  const options = command.optsWithGlobals<{ url?: string; key?: string; json?: boolean }>();
  const settings = resolveSettings({ url: options.url, key: options.key });
  return { settings, client: new Client(settings.url.value!, settings.key.value), json: options.json === true };
}

/** A run, chain or call id as one path segment. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
