/**
 * `switchyard tools list`, `switchyard providers list`, `switchyard triggers list`,
 * `switchyard contracts list`: what the runtime has registered, one table each.
 */
import type { Command } from "commander";
import { contextOf } from "../context";
import { printJson, printTable, timestamp, truncate } from "../output";

interface Listing<T> {
  noun: string;
  description: string;
  path: string;
  head: string[];
  row: (item: T) => Array<string | number>;
}

interface ToolService {
  name: string;
  type: string;
  url: string;
  tools: Array<{ name: string }>;
  requires_approval: boolean | string[];
}

interface Provider {
  name: string;
  type: string;
  source: string;
  base_url: string;
  default_model: string | null;
  models: Array<{ id: string }>;
  has_api_key: boolean;
  health: { cooling_down_until: string | null; recent_failures: number };
}

interface Trigger {
  id: string;
  name: string;
  type: string;
  schedule: string | null;
  event_type: string | null;
  chain_id: string | null;
  function: string | null;
  role: string;
  enabled: boolean;
  next_fire_at: number | null;
}

interface Contract {
  id: string;
  version: number;
  source: string;
  definition: { entities: Record<string, unknown>; rules: Array<{ id: string }>; roles?: Record<string, string[]> };
}

const tools: Listing<ToolService> = {
  noun: "tools",
  description: "registered tool services and their tools",
  path: "/tools",
  head: ["service", "type", "url", "tools", "approval"],
  row: (s) => [s.name, s.type, s.url, truncate(s.tools.map((t) => t.name).join(", "), 60), Array.isArray(s.requires_approval) ? s.requires_approval.join(", ") : s.requires_approval ? "all" : ""],
};

const providers: Listing<Provider> = {
  noun: "providers",
  description: "LLM providers, configured and registered",
  path: "/providers",
  head: ["name", "type", "source", "base url", "default model", "models", "key", "health"],
  row: (p) => [p.name, p.type, p.source, p.base_url, p.default_model ?? "", truncate(p.models.map((m) => m.id).join(", "), 40), p.has_api_key ? "yes" : "no", healthOf(p.health)],
};

function healthOf(health: Provider["health"]): string {
  if (health.cooling_down_until) return `cooling down until ${timestamp(Date.parse(health.cooling_down_until))}`;
  return health.recent_failures > 0 ? `${health.recent_failures} failures in a row` : "ok";
}

const triggers: Listing<Trigger> = {
  noun: "triggers",
  description: "cron and event triggers",
  path: "/triggers",
  head: ["id", "name", "type", "when", "runs", "role", "enabled", "next fire (UTC)"],
  row: (t) => [t.id, t.name, t.type, t.schedule ?? t.event_type ?? "", t.chain_id ?? `function ${t.function}`, t.role, t.enabled ? "yes" : "no", timestamp(t.next_fire_at)],
};

const contracts: Listing<Contract> = {
  noun: "contracts",
  description: "domain contracts, bundled and registered",
  path: "/contracts",
  head: ["id", "version", "source", "entities", "rules", "roles"],
  row: (c) => [c.id, c.version, c.source, Object.keys(c.definition.entities).join(", "), truncate(c.definition.rules.map((r) => r.id).join(", "), 60), c.definition.roles ? Object.keys(c.definition.roles).join(", ") : "any"],
};

export function registerListings(program: Command): void {
  register(program, tools);
  register(program, providers);
  register(program, triggers);
  register(program, contracts);
}

function register<T>(program: Command, listing: Listing<T>): void {
  program
    .command(listing.noun)
    .description(listing.description)
    .command("list")
    .description(`list ${listing.noun}`)
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const { data } = await context.client.json<{ data: T[] }>("GET", listing.path);
      if (context.json) printJson(data);
      else printTable(listing.head, data.map(listing.row));
    });
}
