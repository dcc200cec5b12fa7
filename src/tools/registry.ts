/**
 * The tool registry a run sees: named tools with a schema and a call function, filtered by a
 * task's grant. Registered services (OpenAPI, MCP) and built-ins plug in as `ToolSource`s.
 */
import type { ToolCallContext, Tools, ToolSpec } from "../engine/types";
import { resolveGrant } from "./grants";

export interface ToolEntry {
  spec: ToolSpec;
  /** The service that provides it (a grant may name the service to mean all its tools). */
  service: string;
  call(args: unknown, ctx: ToolCallContext): Promise<unknown>;
}

export interface ToolSource {
  entries(): Promise<ToolEntry[]>;
}

export function toolRegistry(sources: ToolSource[]): Tools & { entries(): Promise<ToolEntry[]> } {
  let cached: Promise<ToolEntry[]> | undefined;
  const entries = () => (cached ??= Promise.all(sources.map((s) => s.entries())).then((lists) => lists.flat()));
  return {
    entries,
    async list(grant) {
      return resolveGrant(await entries(), grant).map((e) => e.spec);
    },
    async missing(grant) {
      const all = await entries();
      const known = new Set([...all.map((e) => e.spec.name), ...all.map((e) => e.service)]);
      return grant.filter((name) => name !== "*" && !name.startsWith("!") && !known.has(name));
    },
    async call(name, args, ctx) {
      const entry = (await entries()).find((e) => e.spec.name === name);
      if (!entry) return { error: `No tool named "${name}" is available.` };
      try {
        return await entry.call(args, ctx);
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
