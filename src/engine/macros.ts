/**
 * Macros: `{{kind:argument}}` placeholders in a task's string fields, expanded before each step
 * from the run's environment rather than from task outputs (that is templates.ts).
 *
 * | macro                      | expands to                                                   |
 * |----------------------------|--------------------------------------------------------------|
 * | `{{var:NAME}}`             | run var, else configured default; `{{var:NAME|text}}` falls back to `text` |
 * | `{{now}}`, `{{now:LAYOUT}}`| the step's clock in UTC, Go layout (default RFC 3339)        |
 * | `{{chain:id}}`, `{{chain:description}}` | fields of the running chain                     |
 * | `{{toolservice:list}}`     | registered tool names, comma-separated                       |
 * | `{{edge_count:from->to}}`  | traversals of that edge so far (0 if none)                   |
 * | `{{tools:typescript}}`     | the sandbox API with the task's granted tools, as TypeScript declarations (with the contract's notes on each operation) |
 * | `{{contract}}`             | the domain contract governing the task, rendered for the caller's role  |
 *
 * Whitespace inside the braces is ignored. Go templates (`{{.input}}`, `{{ if … }}`) and macros
 * of unknown kinds are left exactly as written, so a chain can carry text meant for a later
 * stage. Expansion is one pass: text produced by a macro (a var's value) is never expanded again.
 */

import { RFC3339, formatGoTime } from "./go-time";
import { sandboxTypes } from "./tool-types";
import { normalizeEdge } from "./transitions";
import type { Chain, Task } from "./chain";
import type { ToolSpec } from "./chat";
import type { Tools } from "./effects";
import { EngineError } from "./errors";

export interface MacroEnv {
  vars: Record<string, string>;
  /** Values a run inherits from configuration (e.g. `model`, `provider`) when its vars lack them. */
  defaults: Record<string, string>;
  /** Epoch milliseconds of the step being run. */
  now: number;
  chain: Chain;
  toolNames: string[];
  edgeCounts: Record<string, number>;
  /**
   * The tools the task's own grant (`execute_config.tools`) gives, for `{{tools:…}}`; listed only
   * for tasks that use such a macro (see `grantedToolsFor`). Without it those macros stay as written.
   */
  grantedTools?: readonly ToolSpec[];
  /** For a task a domain contract governs (see `StepEnv.contract`); without it `{{contract}}` stays as written. */
  contract?: { text: string; notes: Record<string, string[]> };
}

/** Where expanded text is used, for error messages (e.g. `task "chat" execute_config.model`). */
export interface MacroSite {
  where: string;
  /** JSON path into the chain document. */
  path?: string;
}

/** Expands one macro's argument; undefined leaves the macro as written. */
type Expander = (argument: string | undefined, env: MacroEnv, site: MacroSite | undefined) => string | undefined;

const EXPANDERS: Record<string, Expander> = {
  var: expandVar,
  now: (layout, env) => formatGoTime(env.now, layout || RFC3339),
  chain: (field, env) => {
    if (field === "id") return env.chain.id;
    if (field === "description") return env.chain.description ?? "";
    return undefined;
  },
  toolservice: (what, env) => (what === "list" ? env.toolNames.join(", ") : undefined),
  edge_count: (edge, env) => (edge ? String(env.edgeCounts[normalizeEdge(edge)] ?? 0) : undefined),
  // A code-writing task (prompt_to_js) is not offered its granted tools as function calls, so
  // its grant can name the tools the program it writes will get, and this describes them.
  tools: (format, env) => (format === "typescript" && env.grantedTools ? sandboxTypes(env.grantedTools, env.contract?.notes) : undefined),
  contract: (argument, env) => (argument === undefined ? env.contract?.text : undefined),
};

// The kind starts with a letter, so Go templates (`{{.x}}`, `{{ .x }}`) never match.
const MACRO = /\{\{\s*([A-Za-z_]+)\s*(?::([^{}]*?))?\s*\}\}/g;

/** `text` with every known macro expanded; throws `missing_var` for an unset var without fallback. */
export function expandMacros(text: string, env: MacroEnv, site?: MacroSite): string {
  return text.replace(MACRO, (macro, kind: string, argument: string | undefined) => {
    const expander = Object.hasOwn(EXPANDERS, kind) ? EXPANDERS[kind] : undefined;
    return expander?.(argument?.trim(), env, site) ?? macro;
  });
}

/** Whether `text` holds a macro of a known kind (one `expandMacros` would replace). */
export function hasMacro(text: string): boolean {
  return [...text.matchAll(MACRO)].some(([, kind]) => kind !== undefined && Object.hasOwn(EXPANDERS, kind));
}

/**
 * `task` with macros expanded in every string, however deeply nested (prompts,
 * `print`, `execute_config`, hook args, branch `when` values): a new object where a macro was
 * expanded, the task's own parts where none was (neither is ever changed in place). References
 * to tasks — `id`, `handler`, `input_var`, `transition.on_failure` and branch `goto`s — are
 * names, not text, and stay as written.
 */
export function expandTaskMacros(task: Task, env: MacroEnv): Task {
  const index = env.chain.tasks.findIndex((candidate) => candidate.id === task.id);
  const base = index >= 0 ? `tasks[${index}]` : "";
  // Runs twice a step, so it allocates only for what changes: one path, pushed and popped, and a
  // copy of an object or array only when a string below it held a macro.
  const path: (string | number)[] = [];
  const expand = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (!value.includes("{{") || isTaskReference(path)) return value;
      const site = { where: `task "${task.id}" ${formatPath("", path)}`, path: formatPath(base, path) };
      return expandMacros(value, env, site);
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const item = expand(value[i]);
        path.pop();
        if (item !== value[i]) (copy ??= [...value])[i] = item;
      }
      return copy ?? value;
    }
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(record)) {
        path.push(key);
        const item = expand(record[key]);
        path.pop();
        if (item !== record[key]) (copy ??= { ...record })[key] = item;
      }
      return copy ?? value;
    }
    return value;
  };
  return expand(task) as Task;
}

/**
 * The specs `{{tools:…}}` macros in `task` describe: its grant (macros in the grant expanded
 * first) as the registry resolves it. Undefined, with no registry call, for a task without such
 * a macro.
 */
export async function grantedToolsFor(task: Task, env: MacroEnv, tools: Pick<Tools, "list">): Promise<ToolSpec[] | undefined> {
  if (!macrosShown(task).tools) return undefined;
  const grant = task.execute_config?.tools?.map((name, i) => expandMacros(name, env, { where: `task "${task.id}" execute_config.tools[${i}]` }));
  return tools.list(grant);
}

/** The macros whose values cost a read or a rendering to supply, as far as a task's text shows them. */
export interface MacrosShown {
  /** `{{tools:…}}`: the granted tools' declarations. */
  tools: boolean;
  /** `{{toolservice:…}}`: the registered tool names. */
  toolList: boolean;
  /** `{{contract}}`, or `{{tools:…}}`, which carries the contract's notes. */
  contract: boolean;
}

/** Answered once per task object: a chain is not changed once a run has it. */
const shownByTask = new WeakMap<Task, MacrosShown>();
export function macrosShown(task: Task): MacrosShown {
  let shown = shownByTask.get(task);
  if (!shown) {
    const text = JSON.stringify(task);
    const tools = /\{\{\s*tools\s*:/.test(text);
    shown = { tools, toolList: text.includes("{{toolservice:"), contract: tools || /\{\{\s*contract/.test(text) };
    shownByTask.set(task, shown);
  }
  return shown;
}

function expandVar(argument: string | undefined, env: MacroEnv, site: MacroSite | undefined): string | undefined {
  if (!argument) return undefined;
  const bar = argument.indexOf("|");
  const name = (bar >= 0 ? argument.slice(0, bar) : argument).trim();
  const fallback = bar >= 0 ? argument.slice(bar + 1).trim() : undefined;
  if (Object.hasOwn(env.vars, name)) return env.vars[name];
  if (Object.hasOwn(env.defaults, name)) return env.defaults[name];
  if (fallback !== undefined) return fallback;
  const needed = site ? ` (needed by {{var:${name}}} in ${site.where})` : ` (needed by {{var:${name}}})`;
  throw new EngineError(
    "missing_var",
    `run var "${name}" is not set${needed}; pass it in the run's vars or write {{var:${name}|fallback}}`,
    { path: site?.path },
  );
}

function isTaskReference(path: (string | number)[]): boolean {
  const [first, second, , fourth] = path;
  if (path.length === 1) return first === "id" || first === "handler" || first === "input_var";
  if (first !== "transition") return false;
  return (path.length === 2 && second === "on_failure") || (second === "branches" && fourth === "goto");
}

function formatPath(base: string, path: (string | number)[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    base,
  );
}
