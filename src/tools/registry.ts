/**
 * The tool registry a run sees: named tools with a schema and a call function, filtered by a
 * task's grant. Registered services (OpenAPI, MCP) and built-ins plug in as `ToolSource`s.
 * Every call goes through here, whoever makes it (a chat's tool calls, a hook, sandboxed
 * code): the arguments are checked against the tool's schema first, a tool that needs a
 * human's approval runs only when the approval gate says so, and in a governed run the domain
 * contract's gate decides last whether the call reaches the service.
 */
import { checkArguments } from "../engine/tool-arguments";
import type { ToolCallContext } from "../engine/effects";
import { resolveGrant } from "./grants";
import type { ApprovalGate, CallGate, ToolEntry, ToolRegistry, ToolSource } from "./types";

/** Without a gate (sandboxed code, functions) there is nobody to ask, so such calls are refused. */
const NO_APPROVER: ApprovalGate = (entry) => ({ run: false, result: unapproved(entry) });

function unapproved(entry: ToolEntry): { error: string } {
  return { error: `Tool "${entry.spec.name}" needs a human's approval for each call, which only a chat's tool calls (execute_tool_calls) can ask for; it cannot be called from here.` };
}

export function toolRegistry(sources: ToolSource[], options: { approvals?: ApprovalGate; gate?: CallGate } = {}): ToolRegistry {
  const approvals = options.approvals ?? NO_APPROVER;
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
  const registry: ToolRegistry = {
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
      const found = await checked(name, given);
      if (!found.entry) return found.refusal;
      const { entry, args } = found;
      if (entry.requires_approval) {
        const verdict = approvals(entry, ctx);
        if (!verdict.run) return verdict.result;
      }
      const proceed = () => invoke(entry, args, ctx);
      return options.gate ? options.gate({ name, args, ctx }, proceed, read) : proceed();
    },
    read,
  };

  /** The entry and its arguments, or what the caller is told when there is no such tool or the arguments do not fit. */
  async function checked(name: string, given: unknown): Promise<{ entry: ToolEntry; args: unknown; refusal?: undefined } | { entry?: undefined; refusal: unknown }> {
    const entry = await find(name);
    if (!entry) return { refusal: { error: `No tool named "${name}" is available.` } };
    // `tools.svc.op()` from code passes no arguments at all: that is an empty argument object.
    const args = given === undefined || given === null ? {} : given;
    const invalid = checkArguments(entry.spec, args);
    return invalid ? { refusal: invalid } : { entry, args };
  }

  async function read(name: string, given: unknown, ctx: ToolCallContext): Promise<unknown> {
    const found = await checked(name, given);
    if (!found.entry) return found.refusal;
    return found.entry.requires_approval ? unapproved(found.entry) : invoke(found.entry, found.args, ctx);
  }

  return registry;
}

async function invoke(entry: ToolEntry, args: unknown, ctx: ToolCallContext): Promise<unknown> {
  try {
    return await entry.call(args, ctx);
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
