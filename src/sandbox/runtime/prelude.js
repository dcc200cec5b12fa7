// @ts-check
/**
 * The sandbox runtime, loaded into every isolate as its own module beside the main one (see
 * isolate-module.ts): `createRuntime(config, regexps)` returns the step budget's `check` and
 * `add`, and the `spread`, `part`, `text` and `regexp` that the instrumented user code calls, and `run()`, which builds the globals the code sees
 * (each capability call goes through `invoke`: counted, size-checked, recorded), runs the code
 * against the wall time and the allocation meter, and returns its outcome. It is shipped as
 * text, so it stays plain JavaScript that imports nothing but the meter; the main module hands
 * it the regular expressions the code gets (regexp.js, or no-regexp.js for code that names none).
 * Its wrappers use built-ins captured before user code runs and avoid
 * patchable paths (array spread, `push`): isolate-module.ts says what the code can and cannot
 * reach, and why.
 */
import { BIG_TEXT, HUGE_TEXT, installMeter } from "./meter.js";

/**
 * @typedef {import("../isolate-module").RuntimeConfig} RuntimeConfig
 * @typedef {import("../isolate-module").IsolateOutput} IsolateOutput
 * @typedef {import("../isolate-module").CallRecord} CallRecord
 * @typedef {import("../capabilities").CapabilityName} CapabilityName
 * @typedef {Record<CapabilityName, (...args: unknown[]) => unknown>} Caps the capability stub (`env.CAPS`)
 * @typedef {(...args: unknown[]) => unknown} UserFunction the user's code, an async function body
 * @typedef {(globals: Record<string, unknown>) => UserFunction} MakeUser
 *   the main module's wrapper that binds the globals as parameters around the user's code
 */
/**
 * The regular expressions user code gets: `install` replaces `RegExp` and the string methods that
 * build one (returning the uninstaller), `literal` is what a regex literal becomes.
 * @typedef {{ install: () => () => void; literal: (literal: RegExp) => unknown }} RegExps
 */
/**
 * A value the user's code made (a result, a thrown value, a log argument): it can have any
 * shape, so it is read only behind `typeof` checks.
 * @typedef {any} Foreign
 */

/** The ticks `check` counts down locally before it asks `refill` for more. */
const BATCH = 1024;

/**
 * @param {RuntimeConfig} config
 * @param {RegExps} regexps
 */
export function createRuntime(config, regexps) {
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
  /** @param {string} text */
  const byteLength = (text) => apply(encode, encoder, [text]).length;
  // The envelope's bounds (envelope.ts), applied as the records are made.
  const PREVIEW_CHARS = 2048;
  const ERROR_CHARS = 1024;

  /** @type {{ stopped: string | null; deadline: number; allocated: number; metering: boolean }} */
  const state = { stopped: null, deadline: Infinity, allocated: 0, metering: false };
  /** Ticks of the current batch not yet used; below zero once it is used up (see `refill`). */
  let left = 0;
  /** Ticks handed out in batches so far: those used are `granted - left`. */
  let granted = 0;

  /**
   * Stops the run; `left` is left at zero, so the very next check throws again.
   * @param {string} message
   * @returns {never}
   */
  function stop(message) {
    if (state.stopped === null) state.stopped = message;
    left = 0;
    throw new StopError(state.stopped);
  }

  /**
   * One step: inserted at every function entry and in every loop that can suspend (see
   * instrument.ts). It only counts down, and `refill` does the rest once per batch; it takes no
   * argument, which keeps it small enough for V8 to inline where it is hot.
   */
  function check() {
    if (--left < 0) refill();
  }

  /**
   * `steps` steps at once: a loop's batch of iterations, or a caught exception's weight.
   * @param {number} steps
   */
  function add(steps) {
    left -= steps;
    if (left < 0) refill();
  }

  /**
   * A batch is used up: counts it, stops the run once the budget or the wall time is gone, and
   * hands out the next batch, never past the budget, so the step that goes over it is the one
   * stopped. A stopped run gets no more: every later check throws again, so a user catch cannot
   * resume the loop.
   */
  function refill() {
    if (state.stopped !== null) {
      left = 0;
      throw new StopError(state.stopped);
    }
    const used = granted - left;
    if (used > limits.max_ticks) {
      stop("Execution stopped: the step budget of " + limits.max_ticks + " loop iterations, function calls " +
        "and caught exceptions is used up (limits.max_ticks); is there an infinite loop or runaway recursion?");
    }
    // The clock only moves across I/O inside Workers, so it is a second line behind the counter.
    if (now() > state.deadline) stop(wallMessage());
    const room = limits.max_ticks - used;
    left = room < BATCH ? room : BATCH;
    granted = used + left;
  }

  /**
   * Called by the allocation meter (meter.js) while the user code runs; a no-op otherwise, so
   * a wrapper left behind (the Node stand-in shares its globals) never throws.
   * @param {number} bytes
   */
  function charge(bytes) {
    if (!state.metering || !(bytes > 0)) return;
    if (state.stopped !== null) throw new StopError(state.stopped);
    state.allocated += bytes;
    if (state.allocated > limits.max_alloc_bytes) {
      stop("Execution stopped: more than " + limits.max_alloc_bytes + " bytes allocated in big strings, arrays and " +
        "buffers (limits.max_alloc_bytes); is something growing without bound?");
    }
  }

  /**
   * Wraps the value of every spread (see instrument.ts): copying it allocates an element per item.
   * @param {Foreign} value
   */
  function spread(value) {
    if (isArray(value) || typeof value === "string") charge(value.length * 8);
    else if (value instanceof SetClass || value instanceof MapClass) charge(value.size * 8);
    return value;
  }

  /**
   * Text a concatenation appends (see instrument.ts): a big piece is charged, so a string
   * cannot double its way past the budget.
   * @param {Foreign} value
   */
  function part(value) {
    if (typeof value === "string" && value.length >= BIG_TEXT) charge(value.length);
    return value;
  }

  /**
   * What a concatenation made: a huge string is charged whole each time one is made, since the
   * first read of each allocates all of it.
   * @param {Foreign} value
   */
  function text(value) {
    if (typeof value === "string" && value.length >= HUGE_TEXT) charge(value.length);
    return value;
  }

  function wallMessage() {
    return "Execution stopped: the wall time limit of " + limits.wall_ms + " ms was exceeded (limits.wall_ms)";
  }

  /**
   * @param {Foreign} error
   * @returns {string}
   */
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

  /** @param {Foreign} value */
  function isThenable(value) {
    return value !== null && (typeof value === "object" || typeof value === "function") &&
      typeof value.then === "function";
  }

  /**
   * @param {string} key
   * @param {Foreign} value
   */
  function rejectUnserialisable(key, value) {
    const where = key === "" ? "" : " (at key " + stringify(key) + ")";
    if (typeof value === "function") throw new ArgumentError("a function" + where + " is not JSON-serialisable");
    if (typeof value === "symbol") throw new ArgumentError("a symbol" + where + " is not JSON-serialisable");
    if (value instanceof MapClass) throw new ArgumentError("a Map" + where + " is not JSON-serialisable; use Object.fromEntries(map)");
    if (value instanceof SetClass) throw new ArgumentError("a Set" + where + " is not JSON-serialisable; use [...set]");
    if (isThenable(value)) throw new ArgumentError("a Promise" + where + " is not JSON-serialisable; is an await missing?");
    return value;
  }

  /**
   * @param {Foreign} value
   * @param {string} what
   * @returns {string}
   */
  function toJson(value, what) {
    try {
      return stringify(value, rejectUnserialisable);
    } catch (error) {
      throw new ArgumentError(what + " must be JSON-serialisable: " + messageOf(error).replace(/^\w*Error: /, ""));
    }
  }

  /** @param {Foreign} value */
  function isPlainObject(value) {
    if (value === null || typeof value !== "object") return false;
    const proto = getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  }

  /**
   * A result that is an array or object of promises (xs.map(x => callTool(...)) without
   * Promise.all) is resolved one level deep rather than failing serialisation.
   * @param {Foreign} value
   * @returns {Promise<Foreign>}
   */
  async function settle(value) {
    if (isArray(value)) {
      /** @type {unknown[]} */
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

  /**
   * @param {CapabilityName} method
   * @param {string} error
   * @param {unknown[]} args
   */
  function failure(method, error, args) {
    const value = parse(stringify(config.failures[method]));
    if (method === "httpFetch" && typeof args[0] === "string") value.url = args[0];
    value.error = error;
    return value;
  }

  /** @param {Foreign} value */
  function failureOf(value) {
    if (value === null || typeof value !== "object") return undefined;
    if (value.error !== undefined && value.error !== null && value.error !== false) {
      return typeof value.error === "string" ? value.error : messageOf(value.error);
    }
    return value.success === false ? "failed" : undefined;
  }

  /**
   * @param {Caps} caps
   * @param {MakeUser} makeUser
   * @param {unknown} args what the code's body (and, normalised with entryArguments, its entry
   *   function) is called with; a JSON copy that came over RPC.
   * @returns {Promise<IsolateOutput>}
   */
  async function run(caps, makeUser, args) {
    state.deadline = now() + limits.wall_ms;
    /** @type {string[]} */
    const logs = [];
    /** @type {CallRecord[]} */
    const calls = [];
    let callCount = 0;
    let logBytes = 0;
    let logsFull = false;
    /** @type {Set<ReturnType<typeof setTimeout>>} */
    const timers = new SetClass();

    /** @param {string} name */
    function reserveCall(name) {
      check();
      if (now() > state.deadline) stop(wallMessage());
      if (callCount >= limits.max_calls) {
        throw new StopError(name + ": more than " + limits.max_calls + " capability calls in one run (limits.max_calls)");
      }
      callCount++;
    }

    /**
     * @param {string} name
     * @param {unknown} args
     * @param {string} text
     * @returns {CallRecord}
     */
    function record(name, args, text) {
      /** @type {CallRecord} */
      const entry = {
        name,
        args: text.length <= PREVIEW_CHARS ? args : text.slice(0, PREVIEW_CHARS) + "… (" + text.length + " characters)",
        ok: false,
        duration_ms: 0,
      };
      calls[calls.length] = entry;
      return entry;
    }

    /**
     * @param {CapabilityName} method
     * @param {unknown[]} args
     */
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
      if (problem !== undefined) entry.error = problem.length <= ERROR_CHARS ? problem : problem.slice(0, ERROR_CHARS) + "… (" + problem.length + " characters)";
      // Kept with the run record (what replay and a reader see), shortened like the arguments.
      else if (resultText !== undefined) entry.result = resultText.length <= PREVIEW_CHARS ? value : resultText.slice(0, PREVIEW_CHARS) + "… (" + resultText.length + " characters)";
      return value;
    }

    /** @type {(url: unknown, init: unknown) => Promise<unknown>} */
    const httpFetch = (url, init) => invoke("httpFetch", [url, init]);
    /** @type {(prompt: unknown, model: unknown, provider: unknown) => Promise<unknown>} */
    const executeTask = (prompt, model, provider) => invoke("executeTask", [prompt, model, provider]);
    /** @type {(chainId: unknown, input: unknown) => Promise<unknown>} */
    const executeTaskChain = (chainId, input) => invoke("executeTaskChain", [chainId, input]);
    /** @type {(textOrList: unknown, model: unknown) => Promise<unknown>} */
    const embed = (textOrList, model) => invoke("embed", [textOrList, model]);
    /** @type {(name: unknown, args: unknown) => Promise<unknown>} */
    const callTool = (name, args) => invoke("callTool", [name, args]);
    /** @type {(type: unknown, data: unknown) => Promise<unknown>} */
    const sendEvent = (type, data) => invoke("sendEvent", [type, data]);

    /**
     * @param {Record<string, unknown>} entries
     * @param {string} label
     */
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

    /** @param {readonly string[]} names */
    function toolsApi(names) {
      /** @type {Record<string, unknown>} */
      const top = Object.create(null);
      /** @type {Record<string, Record<string, unknown>>} */
      const services = Object.create(null);
      for (const name of names) {
        const cut = name.indexOf("__");
        /** @param {unknown} args */
        const call = (args) => callTool(name, args);
        if (cut > 0 && cut < name.length - 2) {
          const service = name.slice(0, cut);
          const members = services[service] || Object.create(null);
          services[service] = members;
          members[name.slice(cut + 2)] = call;
        } else {
          top[name] = call;
        }
      }
      for (const service of keys(services)) top[service] = namespace(/** @type {Record<string, unknown>} */ (services[service]), "tools." + service);
      return namespace(top, "tools");
    }

    /** @param {Foreign} value */
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

    /** @param {string} line */
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

    /** @param {string} level */
    const logger = (level) => /** @param {unknown[]} args */ (...args) => {
      let text = "";
      for (let i = 0; i < args.length; i++) text += (i === 0 ? "" : " ") + formatArg(args[i]);
      appendLog(level === "log" ? text : "[" + level + "] " + text);
    };
    /** @type {typeof import("../../engine/sandbox-globals").console} */
    const console = freeze({
      log: logger("log"),
      info: logger("info"),
      warn: logger("warn"),
      error: logger("error"),
      debug: logger("debug"),
      trace: logger("trace"),
      dir: logger("log"),
      table: logger("log"),
      /**
       * @param {unknown} condition
       * @param {unknown[]} args
       */
      assert: (condition, ...args) => {
        if (!condition) logger("error")("Assertion failed" + (args.length ? ":" : ""), ...args);
      },
    });

    /**
     * @param {Foreign} input
     * @param {Foreign} init
     */
    async function fetchThroughGate(input, init) {
      reserveCall("fetch");
      const url = typeof input === "string" ? input : input && typeof input.url === "string" ? input.url : String(input);
      const method = (init && init.method) || (input && input.method) || "GET";
      const entry = record("fetch", [url, { method }], "");
      const started = now();
      try {
        const response = await /** @type {typeof fetch} */ (realFetch)(input, init);
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

    /**
     * @param {(callback: () => void, ms?: number) => ReturnType<typeof setTimeout>} schedule
     * @param {boolean} repeat
     */
    function timer(schedule, repeat) {
      /**
       * @param {Foreign} callback
       * @param {number} [ms]
       * @param {unknown[]} args
       */
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
    /** @param {(id: ReturnType<typeof setTimeout>) => void} clear */
    const clearTimer = (clear) => /** @param {ReturnType<typeof setTimeout>} id */ (id) => {
      timers.delete(id);
      clear(id);
    };

    const user = makeUser({
      httpFetch,
      executeTask,
      executeTaskChain,
      embed,
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

    /** @type {ReturnType<typeof setTimeout> | undefined} set before the race starts (a Promise runs its executor at once) */
    let wallTimer;
    /** @type {Promise<null>} */
    const wall = new Promise((resolve) => {
      wallTimer = realSetTimeout(() => resolve(null), limits.wall_ms);
    });
    let ok = false;
    /** @type {string | null} */
    let resultJson = null;
    /** @type {string | null} */
    let error = null;
    const uninstallMeter = installMeter(charge);
    const uninstallRegExp = regexps.install();
    state.metering = true;
    try {
      const outcome = await Promise.race([
        (async () => ({ value: await settle(await apply(user, undefined, isArray(args) ? args : [])) }))(),
        wall,
      ]);
      if (outcome === null) {
        state.stopped = state.stopped || wallMessage();
        left = 0;
      }
      if (state.stopped !== null) {
        error = state.stopped;
      } else {
        const { value } = /** @type {{ value: Foreign }} */ (outcome);
        resultJson = value === undefined ? "null" : toJson(value, "the result");
        ok = true;
      }
    } catch (thrown) {
      error = state.stopped !== null ? state.stopped : messageOf(thrown);
    } finally {
      state.metering = false;
      uninstallRegExp();
      uninstallMeter();
      realClearTimeout(/** @type {ReturnType<typeof setTimeout>} */ (wallTimer));
      for (const id of timers) {
        realClearTimeout(id);
        realClearInterval(id);
      }
      // Anything the code left running (an un-awaited async loop) stops at its next check.
      if (state.stopped === null) state.stopped = "Execution stopped: the run has already finished";
      left = 0;
    }
    return { ok, result_json: resultJson, error, logs, calls };
  }

  return { check, add, spread, part, text, regexp: regexps.literal, run };
}
