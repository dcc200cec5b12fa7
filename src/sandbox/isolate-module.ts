/**
 * The modules a sandbox isolate is loaded with: the runtime (`runtime/prelude.js`,
 * `runtime/meter.js` and the regular expressions, plain JavaScript shipped as text, the same for
 * every execution) and a main module built per execution — a `WorkerEntrypoint` whose RPC method
 * `run()` hands the user's (normalised, then instrumented) code to the runtime, which installs
 * the sandbox globals, runs it and returns its outcome. Only code that can make a regular
 * expression is loaded with the linear-time engine (`runtime/regexp.js` over `re2js`, a quarter
 * of a megabyte to compile in every isolate); other code gets `runtime/no-regexp.js`, which
 * refuses to build one (instrument.ts decides which).
 *
 * What the user code can and cannot reach:
 * - It runs inside a function at module scope, so `this` is undefined and the entrypoint's
 *   `this.env` (the capability stub) is out of its lexical reach; `env` and `ctx` are shadowed.
 *   Every other module-scope name carries a random per-execution prefix the code cannot know in
 *   advance, and there is no `eval`/`new Function` in Workers to compute a name at run time;
 *   the runtime's own names live in its modules, out of the code's scope.
 *   Nothing internal is put on `globalThis`. Static and dynamic imports are refused during
 *   normalisation, so `env` cannot be imported from `cloudflare:workers` either.
 * - The globals are lexical bindings (parameters of an enclosing function), not `globalThis`
 *   properties. `globalThis.fetch` is the isolate's real fetch: it still goes through the egress
 *   gate (`globalOutbound`) but bypasses the `calls` record and `max_calls`.
 * - The wrappers use built-ins captured before user code runs and avoid patchable paths (array
 *   spread, `push`), so patching built-ins cannot widen the budget or the call count. The host
 *   still enforces what matters for safety: the grant, the egress policy and each call's
 *   argument size (the capability and gate entrypoints), the final result size and the wall
 *   time (the executor), CPU (the platform). Even code that reached the stub could do no more
 *   than the grant allows; tampering can at most spoil this run's own logs and calls.
 * - Regular expressions are matched in linear time (runtime/regexp.js): V8's backtracking
 *   engine is native code that no budget check interrupts. Other long native operations (a
 *   huge `Array(1e9).fill()`) run no user function either; the allocation meter refuses the
 *   big ones before they start, and only the platform's CPU limit stops the rest.
 */
import { FAILURE_SHAPES } from "./capabilities";
import { instrumentCode } from "./instrument";
import type { SandboxLimits } from "./limits";
import re2Source from "../../node_modules/re2js/build/index.js?raw";
import meterSource from "./runtime/meter.js?raw";
import noRegexpSource from "./runtime/no-regexp.js?raw";
import preludeSource from "./runtime/prelude.js?raw";
import regexpSource from "./runtime/regexp.js?raw";

export const SANDBOX_MAIN_MODULE = "sandbox.js";

/**
 * The runtime modules, by the names the main module and the prelude import them under. They are
 * text (wrangler's Text rule for `?raw`): the host never runs them, and bundling would rewrite
 * them (wrangler adds `__name` helpers to the functions it builds).
 */
export const RUNTIME_MODULES: Readonly<Record<string, string>> = {
  "prelude.js": preludeSource,
  "meter.js": meterSource,
  "regexp.js": regexpSource,
  "re2.js": re2Source,
  "no-regexp.js": noRegexpSource,
};

/** The runtime modules code needs, with the linear-time regular expressions or without. */
const WITH_REGEXPS = pick(["prelude.js", "meter.js", "regexp.js", "re2.js"]);
const WITHOUT_REGEXPS = pick(["prelude.js", "meter.js", "no-regexp.js"]);

function pick(names: readonly string[]): Readonly<Record<string, string>> {
  return Object.fromEntries(names.map((name) => [name, RUNTIME_MODULES[name]!]));
}

/** What the main module passes to the prelude's `createRuntime`. */
export interface RuntimeConfig {
  limits: SandboxLimits;
  tools: readonly string[];
  failures: typeof FAILURE_SHAPES;
}

export interface CallRecord {
  name: string;
  /** JSON-safe copy of the arguments; a long one is shortened to a string preview. */
  args: unknown;
  ok: boolean;
  error?: string;
  /** What a successful call returned (JSON-safe); a long one is shortened to a string preview. */
  result?: unknown;
  duration_ms: number;
}

/** What `run()` returns over RPC. */
export interface IsolateOutput {
  ok: boolean;
  /** The result as JSON text (the executor checks its size and parses it). */
  result_json: string | null;
  error: string | null;
  logs: string[];
  calls: CallRecord[];
}

export interface SandboxModuleOptions {
  /** Normalised code: an async function body (see normalize.ts). */
  code: string;
  limits: SandboxLimits;
  /** Granted tool names, for the generated `tools.<service>.<operation>()` API. */
  tools: readonly string[];
}

/** The globals user code sees (the runtime passes an object with exactly these keys). */
const GLOBALS = [
  "httpFetch",
  "executeTask",
  "executeTaskChain",
  "embed",
  "callTool",
  "sendEvent",
  "tools",
  "console",
  "fetch",
  "setTimeout",
  "setInterval",
  "clearTimeout",
  "clearInterval",
  "env",
  "ctx",
] as const;

export interface SandboxModule {
  /** The main module's source. */
  source: string;
  /** Every module the isolate is loaded with, the main one (SANDBOX_MAIN_MODULE) included. */
  modules: Record<string, string>;
}

/** The main module for one execution: its code, limits and grant, under a fresh random prefix. */
export function buildSandboxModule(options: SandboxModuleOptions): SandboxModule {
  const p = randomPrefix();
  const { code: body, regexps } = instrumentCode(options.code, `${p}check`);
  const config: RuntimeConfig = { limits: options.limits, tools: options.tools, failures: FAILURE_SHAPES };
  const source = [
    `import { WorkerEntrypoint as ${p}Base } from "cloudflare:workers";`,
    `import { createRuntime as ${p}createRuntime } from "./prelude.js";`,
    regexps
      ? `import { installLinearRegExp as ${p}install, regexpLiteral as ${p}literal } from "./regexp.js";`
      : `import { installRegExpRefusal as ${p}install, regexpLiteral as ${p}literal } from "./no-regexp.js";`,
    `const ${p}rt = ${p}createRuntime(${JSON.stringify(config)}, { install: ${p}install, literal: ${p}literal });`,
    `const ${p}check = ${p}rt.check;`,
    `const ${p}check_add = ${p}rt.add;`,
    `const ${p}check_spread = ${p}rt.spread;`,
    `const ${p}check_regexp = ${p}rt.regexp;`,
    `const ${p}check_part = ${p}rt.part;`,
    `const ${p}check_text = ${p}rt.text;`,
    `const ${p}user = ({ ${GLOBALS.join(", ")} }) => async function () {`,
    body,
    `};`,
    `export default class extends ${p}Base {`,
    `  async run(args) { return ${p}rt.run(this.env.CAPS, ${p}user, args); }`,
    `}`,
    ``,
  ].join("\n");
  return { source, modules: { ...(regexps ? WITH_REGEXPS : WITHOUT_REGEXPS), [SANDBOX_MAIN_MODULE]: source } };
}

function randomPrefix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `__sy_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}_`;
}
