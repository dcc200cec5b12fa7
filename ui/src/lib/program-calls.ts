/**
 * Where in a program its capability calls were made. The sandbox records each call in order
 * (name, arguments, outcome, time) but not its source position, so calls are matched to the
 * call sites in the program's text by what they call: `tools.svc.op(…)` and `callTool("svc__op", …)`
 * make a `callTool` of `svc__op`, `httpFetch(…)` an `httpFetch`, and so on. Repeated calls of one
 * site (a loop) stay on that line; several sites of the same call take turns.
 */
import type { SandboxCall } from "../api/types";

const TOOL_METHOD = /\btools\.([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)\s*\(/g;
const NAMED_TOOL = /\bcallTool\s*\(\s*(["'`])([^"'`]+)\1/g;
const GLOBAL = /\b(httpFetch|executeTask|executeTaskChain|sendEvent|callTool)\s*\(/g;

function callKey(call: SandboxCall): string {
  const first = Array.isArray(call.args) ? call.args[0] : undefined;
  return call.name === "callTool" && typeof first === "string" ? `callTool:${first}` : call.name;
}

/** The call keys each line can make, in order of appearance. */
function siteKeys(line: string): string[] {
  const keys = [...line.matchAll(TOOL_METHOD)].map((m) => `callTool:${m[1]}__${m[2]}`);
  keys.push(...[...line.matchAll(NAMED_TOOL)].map((m) => `callTool:${m[2]}`));
  // `callTool(name, …)` with a computed name is a site for any tool without a site of its own.
  for (const m of line.matchAll(GLOBAL)) if (m[1] !== "callTool" || !/^\s*["'`]/.test(line.slice(m.index + m[0].length))) keys.push(m[1]!);
  return keys;
}

export interface PlacedCall {
  call: SandboxCall;
  /** 1-based order of the call in the run. */
  order: number;
  /** 1-based line of the call site; undefined when no site matches (a computed tool name). */
  line?: number;
}

export function placeCalls(code: string, calls: SandboxCall[]): PlacedCall[] {
  const sites = new Map<string, number[]>();
  code.split("\n").forEach((text, i) => {
    for (const key of siteKeys(text)) sites.set(key, [...(sites.get(key) ?? []), i + 1]);
  });
  const turns = new Map<string, number>();
  return calls.map((call, i) => {
    const key = callKey(call);
    const lines = sites.get(key) ?? sites.get(call.name);
    if (!lines) return { call, order: i + 1 };
    const turn = turns.get(key) ?? 0;
    turns.set(key, turn + 1);
    return { call, order: i + 1, line: lines[turn % lines.length] };
  });
}

/** The line an error names (`SyntaxError at 3:14: …`), if it names one. */
export function errorLine(error: string | undefined): number | undefined {
  const match = error ? /\bat (\d+):(\d+)\b/.exec(error) : null;
  return match ? Number(match[1]) : undefined;
}
