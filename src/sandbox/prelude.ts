/**
 * The loaded isolate's main module: a `WorkerEntrypoint` whose RPC method `run()` installs the
 * sandbox globals, runs the (normalised, then instrumented) user code and returns its outcome.
 *
 * What the user code can and cannot reach:
 * - It runs inside a function at module scope, so `this` is undefined and the entrypoint's
 *   `this.env` (the capability stub) is out of its lexical reach; `env` and `ctx` are shadowed.
 *   Every other module-scope name carries a random per-execution prefix the code cannot know in
 *   advance, and there is no `eval`/`new Function` in Workers to compute a name at run time.
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
 * - Not covered: long native operations (a catastrophic regular expression, a huge
 *   `Array(1e9).fill()`) run no user function, so only the platform's CPU limit stops them.
 */
import { FAILURE_SHAPES } from "./capabilities";
import { instrumentCode } from "./instrument";
import { METER } from "./meter";
import type { SandboxLimits } from "./limits";

export const SANDBOX_MAIN_MODULE = "sandbox.js";

export interface CallRecord {
  name: string;
  /** JSON-safe copy of the arguments; a long one is shortened to a string preview. */
  args: unknown;
  ok: boolean;
  error?: string;
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

export function buildSandboxModule(options: SandboxModuleOptions): string {
  const p = randomPrefix();
  const body = instrumentCode(options.code, `${p}check`);
  const config = JSON.stringify({ limits: options.limits, tools: options.tools, failures: FAILURE_SHAPES });
  return [
    `import { WorkerEntrypoint as ${p}Base } from "cloudflare:workers";`,
    `const ${p}rt = (${RUNTIME})(${config}, ${METER});`,
    `const ${p}check = ${p}rt.check;`,
    `const ${p}check_spread = ${p}rt.spread;`,
    `const ${p}user = ({ ${GLOBALS.join(", ")} }) => async function () {`,
    body,
    `};`,
    `export default class extends ${p}Base {`,
    `  async run(args) { return ${p}rt.run(this.env.CAPS, ${p}user, args); }`,
    `}`,
    ``,
  ].join("\n");
}

function randomPrefix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `__sy_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}_`;
}

/**
 * The isolate runtime, as source text: wrangler's bundler rewrites functions it builds (it adds
 * `__name` helpers), so `Function.prototype.toString` of a bundled function is not portable.
 * No template-literal interpolation is used inside it.
 */
const RUNTIME = String.raw`function (config, installMeter) {
  "use strict";
  const limits = config.limits;
  const apply = Reflect.apply;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const now = Date.now;
  const isArray = Array.isArray;
  const keys = Object.keys;
  const getPrototypeOf = Object.getPrototypeOf;
  const freeze = Object.freeze;
  const create = Object.create;
  const hasOwn = Object.hasOwn;
  const StopError = Error;
  const ArgumentError = TypeError;
  const MapClass = Map;
  const SetClass = Set;
  const ProxyClass = Proxy;
  const realFetch = typeof fetch === "function" ? fetch : undefined;
  const realSetTimeout = setTimeout;
  const realSetInterval = setInterval;
  const realClearTimeout = clearTimeout;
  const realClearInterval = clearInterval;
  const encoder = new TextEncoder();
  const encode = TextEncoder.prototype.encode;
  const decoder = new TextDecoder();
  const decode = TextDecoder.prototype.decode;
  const byteLength = (text) => apply(encode, encoder, [text]).length;
  const PREVIEW_CHARS = 2048;

  const state = { ticks: 0, checks: 0, stopped: null, deadline: Infinity, allocated: 0, metering: false };

  function stop(message) {
    if (state.stopped === null) state.stopped = message;
    throw new StopError(state.stopped);
  }

  // Inserted at every loop body and function entry (weight 1) and every catch (a heavier
  // weight). Once the budget is gone every later check throws again, so a user catch cannot
  // resume the loop.
  function check(weight) {
    if (state.stopped !== null) throw new StopError(state.stopped);
    state.ticks += weight === undefined ? 1 : weight;
    if (state.ticks > limits.max_ticks) {
      stop("Execution stopped: the step budget of " + limits.max_ticks + " loop iterations, function calls " +
        "and caught exceptions is used up (limits.max_ticks); is there an infinite loop or runaway recursion?");
    }
    // The clock only moves across I/O inside Workers, so it is a second line behind the counter.
    if (++state.checks % 1024 === 0 && now() > state.deadline) stop(wallMessage());
  }

  // Called by the allocation meter (meter.ts) while the user code runs; a no-op otherwise, so
  // a wrapper left behind (the Node stand-in shares its globals) never throws.
  function charge(bytes) {
    if (!state.metering || !(bytes > 0)) return;
    if (state.stopped !== null) throw new StopError(state.stopped);
    state.allocated += bytes;
    if (state.allocated > limits.max_alloc_bytes) {
      stop("Execution stopped: more than " + limits.max_alloc_bytes + " bytes allocated in big strings, arrays and " +
        "buffers (limits.max_alloc_bytes); is something growing without bound?");
    }
  }

  // Wraps the value of every spread (see instrument.ts): copying it allocates an element per item.
  function spread(value) {
    if (isArray(value) || typeof value === "string") charge(value.length * 8);
    else if (value instanceof SetClass || value instanceof MapClass) charge(value.size * 8);
    return value;
  }

  function wallMessage() {
    return "Execution stopped: the wall time limit of " + limits.wall_ms + " ms was exceeded (limits.wall_ms)";
  }

  function messageOf(error) {
    if (error !== null && typeof error === "object" && typeof error.message === "string") {
      const name = typeof error.name === "string" && error.name ? error.name : "Error";
      return name + ": " + error.message;
    }
    if (typeof error === "string") return error;
    try {
      const json = stringify(error);
      if (json !== undefined) return json;
    } catch {}
    return String(error);
  }

  function isThenable(value) {
    return value !== null && (typeof value === "object" || typeof value === "function") &&
      typeof value.then === "function";
  }

  function rejectUnserialisable(key, value) {
    const where = key === "" ? "" : " (at key " + stringify(key) + ")";
    if (typeof value === "function") throw new ArgumentError("a function" + where + " is not JSON-serialisable");
    if (typeof value === "symbol") throw new ArgumentError("a symbol" + where + " is not JSON-serialisable");
    if (value instanceof MapClass) throw new ArgumentError("a Map" + where + " is not JSON-serialisable; use Object.fromEntries(map)");
    if (value instanceof SetClass) throw new ArgumentError("a Set" + where + " is not JSON-serialisable; use [...set]");
    if (isThenable(value)) throw new ArgumentError("a Promise" + where + " is not JSON-serialisable; is an await missing?");
    return value;
  }

  function toJson(value, what) {
    try {
      return stringify(value, rejectUnserialisable);
    } catch (error) {
      throw new ArgumentError(what + " must be JSON-serialisable: " + messageOf(error).replace(/^\w*Error: /, ""));
    }
  }

  function isPlainObject(value) {
    if (value === null || typeof value !== "object") return false;
    const proto = getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  }

  // A result that is an array or object of promises (xs.map(x => callTool(...)) without
  // Promise.all) is resolved one level deep rather than failing serialisation.
  async function settle(value) {
    if (isArray(value)) {
      const out = [];
      for (let i = 0; i < value.length; i++) out[i] = isThenable(value[i]) ? await value[i] : value[i];
      return out;
    }
    if (isPlainObject(value)) {
      // No prototype: a "__proto__" key of the result is then copied as data, not as a prototype.
      const out = create(null);
      for (const key of keys(value)) out[key] = isThenable(value[key]) ? await value[key] : value[key];
      return out;
    }
    return value;
  }

  function failure(method, error, args) {
    const value = parse(stringify(config.failures[method]));
    if (method === "httpFetch" && typeof args[0] === "string") value.url = args[0];
    value.error = error;
    return value;
  }

  function failureOf(value) {
    if (value === null || typeof value !== "object") return undefined;
    if (value.error !== undefined && value.error !== null && value.error !== false) {
      return typeof value.error === "string" ? value.error : messageOf(value.error);
    }
    return value.success === false ? "failed" : undefined;
  }

  // args: what the code's body (and, normalised with entryArguments, its entry function) is
  // called with; a JSON copy that came over RPC.
  async function run(caps, makeUser, args) {
    state.deadline = now() + limits.wall_ms;
    const logs = [];
    const calls = [];
    let callCount = 0;
    let logBytes = 0;
    let logsFull = false;
    const timers = new SetClass();

    function reserveCall(name) {
      check();
      if (now() > state.deadline) stop(wallMessage());
      if (callCount >= limits.max_calls) {
        throw new StopError(name + ": more than " + limits.max_calls + " capability calls in one run (limits.max_calls)");
      }
      callCount++;
    }

    function record(name, args, text) {
      const entry = {
        name,
        args: text.length <= PREVIEW_CHARS ? args : text.slice(0, PREVIEW_CHARS) + "… (" + text.length + " characters)",
        ok: false,
        duration_ms: 0,
      };
      calls[calls.length] = entry;
      return entry;
    }

    async function invoke(method, args) {
      reserveCall(method);
      // Trailing omitted arguments stay omitted for the host (not null after the JSON copy).
      while (args.length > 0 && args[args.length - 1] === undefined) args.length--;
      const text = toJson(args, method + " arguments");
      const size = byteLength(text);
      if (size > limits.max_arg_bytes) {
        throw new ArgumentError(method + ": arguments are " + size + " bytes, over limits.max_arg_bytes (" + limits.max_arg_bytes + ")");
      }
      const sent = parse(text);
      const entry = record(method, sent, text);
      const started = now();
      let value;
      try {
        value = await apply(caps[method], caps, sent);
      } catch (error) {
        value = failure(method, method + " failed: " + messageOf(error), sent);
      }
      entry.duration_ms = now() - started;
      let resultText;
      try {
        resultText = stringify(value);
      } catch (error) {
        value = failure(method, method + " returned a value that is not JSON: " + messageOf(error), sent);
      }
      if (resultText !== undefined && byteLength(resultText) > limits.max_arg_bytes) {
        value = failure(method, method + ": the result is " + byteLength(resultText) +
          " bytes, over limits.max_arg_bytes (" + limits.max_arg_bytes + ")", sent);
      }
      const problem = failureOf(value);
      entry.ok = problem === undefined;
      if (problem !== undefined) entry.error = problem;
      return value;
    }

    const httpFetch = (url, init) => invoke("httpFetch", [url, init]);
    const executeTask = (prompt, model, provider) => invoke("executeTask", [prompt, model, provider]);
    const executeTaskChain = (chainId, input) => invoke("executeTaskChain", [chainId, input]);
    const callTool = (name, args) => invoke("callTool", [name, args]);
    const sendEvent = (type, data) => invoke("sendEvent", [type, data]);

    function namespace(entries, label) {
      const names = keys(entries);
      return new ProxyClass(freeze(entries), {
        get(target, key) {
          if (typeof key !== "string") return undefined;
          if (hasOwn(target, key)) return target[key];
          if (key === "then" || key === "toJSON") return undefined;
          throw new ArgumentError(label + "." + key + " is not a granted tool" +
            (names.length ? "; available: " + names.map((n) => label + "." + n).join(", ") : "; no tools are granted"));
        },
      });
    }

    function toolsApi(names) {
      const top = Object.create(null);
      const services = Object.create(null);
      for (const name of names) {
        const cut = name.indexOf("__");
        const call = (args) => callTool(name, args);
        if (cut > 0 && cut < name.length - 2) {
          const service = name.slice(0, cut);
          services[service] = services[service] || Object.create(null);
          services[service][name.slice(cut + 2)] = call;
        } else {
          top[name] = call;
        }
      }
      for (const service of keys(services)) top[service] = namespace(services[service], "tools." + service);
      return namespace(top, "tools");
    }

    function formatArg(value) {
      if (typeof value === "string") return value;
      if (value !== null && typeof value === "object" && typeof value.message === "string" && typeof value.stack === "string") {
        return messageOf(value);
      }
      if (typeof value === "bigint") return value + "n";
      if (typeof value === "function") return "[function " + (value.name || "anonymous") + "]";
      try {
        const json = stringify(value);
        if (json !== undefined) return json;
      } catch {}
      return String(value);
    }

    function appendLog(line) {
      if (logsFull) return;
      const size = byteLength(line) + 1;
      if (logBytes + size <= limits.max_log_bytes) {
        logBytes += size;
        logs[logs.length] = line;
        return;
      }
      const room = limits.max_log_bytes - logBytes;
      if (room > 0) logs[logs.length] = apply(decode, decoder, [apply(encode, encoder, [line]).subarray(0, room)]);
      logs[logs.length] = "[… logs truncated: more than " + limits.max_log_bytes + " bytes (limits.max_log_bytes)]";
      logsFull = true;
    }

    const logger = (level) => (...args) => {
      let text = "";
      for (let i = 0; i < args.length; i++) text += (i === 0 ? "" : " ") + formatArg(args[i]);
      appendLog(level === "log" ? text : "[" + level + "] " + text);
    };
    const console = freeze({
      log: logger("log"),
      info: logger("info"),
      warn: logger("warn"),
      error: logger("error"),
      debug: logger("debug"),
      trace: logger("trace"),
      dir: logger("log"),
      table: logger("log"),
      assert: (condition, ...args) => {
        if (!condition) logger("error")("Assertion failed" + (args.length ? ":" : ""), ...args);
      },
    });

    async function fetchThroughGate(input, init) {
      reserveCall("fetch");
      const url = typeof input === "string" ? input : input && typeof input.url === "string" ? input.url : String(input);
      const method = (init && init.method) || (input && input.method) || "GET";
      const entry = record("fetch", [url, { method }], "");
      const started = now();
      try {
        const response = await realFetch(input, init);
        entry.ok = response.headers.get("x-switchyard-egress") !== "refused";
        if (!entry.ok) entry.error = "egress refused (HTTP " + response.status + ")";
        return response;
      } catch (error) {
        entry.error = messageOf(error);
        throw error;
      } finally {
        entry.duration_ms = now() - started;
      }
    }

    function timer(schedule, repeat) {
      return (callback, ms, ...args) => {
        if (typeof callback !== "function") throw new ArgumentError("the timer callback must be a function");
        const id = schedule(() => {
          if (!repeat) timers.delete(id);
          callback(...args);
        }, ms);
        timers.add(id);
        return id;
      };
    }
    const clearTimer = (clear) => (id) => {
      timers.delete(id);
      clear(id);
    };

    const user = makeUser({
      httpFetch,
      executeTask,
      executeTaskChain,
      callTool,
      sendEvent,
      tools: toolsApi(config.tools),
      console,
      fetch: fetchThroughGate,
      setTimeout: timer(realSetTimeout, false),
      setInterval: timer(realSetInterval, true),
      clearTimeout: clearTimer(realClearTimeout),
      clearInterval: clearTimer(realClearInterval),
      env: undefined,
      ctx: undefined,
    });

    let wallTimer;
    const wall = new Promise((resolve) => {
      wallTimer = realSetTimeout(() => resolve(null), limits.wall_ms);
    });
    let ok = false;
    let resultJson = null;
    let error = null;
    const uninstallMeter = installMeter(charge);
    state.metering = true;
    try {
      const outcome = await Promise.race([
        (async () => ({ value: await settle(await apply(user, undefined, isArray(args) ? args : [])) }))(),
        wall,
      ]);
      if (outcome === null) state.stopped = state.stopped || wallMessage();
      if (state.stopped !== null) {
        error = state.stopped;
      } else {
        resultJson = outcome.value === undefined ? "null" : toJson(outcome.value, "the result");
        ok = true;
      }
    } catch (thrown) {
      error = state.stopped !== null ? state.stopped : messageOf(thrown);
    } finally {
      state.metering = false;
      uninstallMeter();
      realClearTimeout(wallTimer);
      for (const id of timers) {
        realClearTimeout(id);
        realClearInterval(id);
      }
      // Anything the code left running (an un-awaited async loop) stops at its next check.
      if (state.stopped === null) state.stopped = "Execution stopped: the run has already finished";
    }
    return { ok, result_json: resultJson, error, logs, calls };
  }

  return { check, spread, run };
}`;
