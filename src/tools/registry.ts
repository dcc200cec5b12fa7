/**
 * The tool registry a run sees: named tools with a schema and a call function, filtered by a
 * task's grant. Registered services (OpenAPI, MCP) and built-ins plug in as `ToolSource`s.
 * Every call goes through here, whoever makes it (a chat's tool calls, a hook, sandboxed
 * code): the arguments are checked against the tool's schema first, and a tool that needs a
 * human's approval runs only when the approval gate says so.
 */
import { checkArguments } from "../engine/tool-arguments";
import { resolveGrant } from "./grants";
import type { ApprovalGate, ToolEntry, ToolRegistry, ToolSource } from "./types";

/** Without a gate (sandboxed code, functions) there is nobody to ask, so such calls are refused. */
const NO_APPROVER: ApprovalGate = (entry) => ({
  run: false,
  result: { error: `Tool "${entry.spec.name}" needs a human's approval for each call, which only a chat's tool calls (execute_tool_calls) can ask for; it cannot be called from here.` },
});

export function toolRegistry(sources: ToolSource[], options: { approvals?: ApprovalGate } = {}): ToolRegistry {
  const gate = options.approvals ?? NO_APPROVER;
  let cached: Promise<ToolEntry[]> | undefined;
  const entries = () => {
    cached ??= Promise.all(sources.map((s) => s.entries())).then(
      (lists) => lists.flat(),
      (err: unknown) => {
        // A failed load (D1 unavailable, say) must not stick for the rest of the run.
        cached = undefined;
        throw err;
      },
    );
    return cached;
  };
  const find = async (name: string) => (await entries()).find((e) => e.spec.name === name);
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
    async call(name, given, ctx) {
      const entry = await find(name);
      if (!entry) return { error: `No tool named "${name}" is available.` };
      // `tools.svc.op()` from code passes no arguments at all: that is an empty argument object.
      const args = given === undefined || given === null ? {} : given;
      const invalid = checkArguments(entry.spec, args);
      if (invalid) return invalid;
      if (entry.requires_approval) {
        const verdict = gate(entry, ctx);
        if (!verdict.run) return verdict.result;
      }
      try {
        return await entry.call(args, ctx);
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        return { error: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
