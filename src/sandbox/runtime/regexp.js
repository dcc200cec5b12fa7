// @ts-check
/**
 * Regular expressions for sandboxed code, matched in linear time by RE2 (the `re2js` port,
 * loaded into the isolate as its own module). V8's own engine backtracks, and its native code
 * runs no budget check: `/(a+)+$/.test("a".repeat(40) + "!")` runs for minutes, and in a local
 * workerd, where every isolate shares one thread, it stops every run and the server with it.
 *
 * `installLinearRegExp()` makes sure user code never gets a native regular expression: the
 * instrumentation turns each regex literal into a call of `create(source, flags)`, the global
 * `RegExp` becomes `LinearRegExp`, and `match`, `matchAll` and `search`, which would build a
 * native one from a string argument, build a linear one. `LinearRegExp` keeps the JavaScript
 * interface (`exec`, `test`, `lastIndex`, the flags, and the `Symbol.match`/`replace`/`search`/
 * `split`/`matchAll` protocol the string methods use); the symbol methods other than `split` are
 * the engine's own generic ones, which work through `exec`. What RE2 cannot match in linear time
 * is refused with a SyntaxError that says so: lookahead and backreferences.
 *
 * Like the meter, it returns an uninstaller: the Node stand-in of the unit tests shares its globals.
 */
import { RE2JS } from "./re2.js";

const FLAGS = "dgimsuvy";
/** Compiled programs by flags and source: a literal in a loop is compiled once. */
const MAX_CACHED = 256;

/**
 * @typedef {{ source: string; flags: string; program: RE2JS }} Compiled
 * The part of re2js's matcher used here.
 * @typedef {{
 *   find(start: number): boolean;
 *   start(group?: number | string): number;
 *   end(group?: number | string): number;
 *   group(group?: number): string | null;
 *   groupCount(): number;
 *   matchArray(): (string | undefined)[];
 *   namedGroupsObject(): Record<string, string | undefined> | undefined;
 * }} Matcher
 */

/** @type {Map<string, Compiled>} */
const compiled = new Map();

/**
 * @param {string} source
 * @param {string} flags
 * @returns {Compiled}
 */
function compile(source, flags) {
  const key = flags + "/" + source;
  const cached = compiled.get(key);
  if (cached) return cached;
  for (let i = 0; i < flags.length; i++) {
    if (FLAGS.indexOf(flags.charAt(i)) === -1 || flags.indexOf(flags.charAt(i), i + 1) !== -1) {
      throw new SyntaxError("Invalid flags supplied to RegExp constructor '" + flags + "'");
    }
  }
  let bits = RE2JS.LOOKBEHINDS;
  if (flags.indexOf("i") !== -1) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.indexOf("m") !== -1) bits |= RE2JS.MULTILINE;
  if (flags.indexOf("s") !== -1) bits |= RE2JS.DOTALL;
  let program;
  try {
    program = RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (error) {
    throw new SyntaxError("Invalid regular expression: /" + source + "/" + flags + ": " +
      (error instanceof Error ? error.message : String(error)) +
      " (sandboxed code matches with a linear-time engine, RE2: no lookahead, no backreferences)");
  }
  if (compiled.size >= MAX_CACHED) compiled.delete(/** @type {string} */ (compiled.keys().next().value));
  const entry = { source, flags, program };
  compiled.set(key, entry);
  return entry;
}

/**
 * @param {RE2JS} program
 * @param {string} input
 * @returns {Matcher}
 */
function matcherOf(program, input) {
  return /** @type {Matcher} */ (/** @type {unknown} */ (program.matcher(input)));
}

/** @param {unknown} value */
function toLength(value) {
  const n = Math.trunc(Number(value));
  return n > 0 ? Math.min(n, Number.MAX_SAFE_INTEGER) : 0;
}

/** The engine's generic symbol methods, which match through `this.exec`. @type {any} */
const native = RegExp.prototype;

export class LinearRegExp {
  /** @type {Compiled} */
  #compiled;
  /** The last input and its matcher, reused while a global regex walks one string. @type {{ input: string; matcher: Matcher } | null} */
  #last = null;

  /**
   * @param {unknown} pattern
   * @param {unknown} [flags]
   */
  constructor(pattern, flags) {
    const from = pattern instanceof LinearRegExp ? pattern : null;
    const source = from ? from.source : pattern === undefined ? "(?:)" : String(pattern);
    this.#compiled = compile(source === "" ? "(?:)" : source, flags === undefined ? (from ? from.flags : "") : String(flags));
    Object.defineProperty(this, "lastIndex", { value: 0, writable: true, enumerable: false, configurable: false });
    /** @type {number} */
    this.lastIndex;
  }

  static get [Symbol.species]() {
    return LinearRegExp;
  }

  get source() {
    return this.#compiled.source;
  }

  get flags() {
    let out = "";
    for (const flag of FLAGS) if (this.#compiled.flags.indexOf(flag) !== -1) out += flag;
    return out;
  }

  get global() {
    return this.#has("g");
  }

  get ignoreCase() {
    return this.#has("i");
  }

  get multiline() {
    return this.#has("m");
  }

  get dotAll() {
    return this.#has("s");
  }

  get unicode() {
    return this.#has("u");
  }

  get unicodeSets() {
    return this.#has("v");
  }

  get sticky() {
    return this.#has("y");
  }

  get hasIndices() {
    return this.#has("d");
  }

  /** @param {string} flag */
  #has(flag) {
    return this.#compiled.flags.indexOf(flag) !== -1;
  }

  /** @param {string} input */
  #matcher(input) {
    if (this.#last === null || this.#last.input !== input) {
      this.#last = { input, matcher: matcherOf(this.#compiled.program, input) };
    }
    return this.#last.matcher;
  }

  /** @param {unknown} string */
  exec(string) {
    const input = String(string);
    const stateful = this.global || this.sticky;
    const start = stateful ? toLength(this.lastIndex) : 0;
    if (start > input.length) {
      this.lastIndex = 0;
      return null;
    }
    const matcher = this.#matcher(input);
    // RE2 anchors only at the start of the input, so a sticky match is the first match from `start`, if it begins there.
    const found = matcher.find(start) && (!this.sticky || matcher.start(0) === start);
    if (!found) {
      if (stateful) this.lastIndex = 0;
      return null;
    }
    /** @type {any} */
    const result = matcher.matchArray();
    result.index = matcher.start(0);
    result.input = input;
    result.groups = matcher.namedGroupsObject();
    if (this.hasIndices) {
      /** @type {any} */
      const indices = [];
      for (let i = 0; i < result.length; i++) indices[i] = result[i] === undefined ? undefined : [matcher.start(i), matcher.end(i)];
      if (result.groups) {
        indices.groups = Object.create(null);
        for (const name of Object.keys(result.groups)) indices.groups[name] = result.groups[name] === undefined ? undefined : [matcher.start(name), matcher.end(name)];
      }
      result.indices = indices;
    }
    if (stateful) this.lastIndex = matcher.end(0);
    return result;
  }

  /** @param {unknown} string */
  test(string) {
    if (this.global || this.sticky) return this.exec(string) !== null;
    return this.#compiled.program.test(String(string));
  }

  toString() {
    return "/" + this.source + "/" + this.flags;
  }

  /** @param {unknown} string */
  [Symbol.match](string) {
    return native[Symbol.match].call(this, string);
  }

  /** @param {unknown} string */
  [Symbol.matchAll](string) {
    return native[Symbol.matchAll].call(this, string);
  }

  /**
   * @param {unknown} string
   * @param {any} replacement
   */
  [Symbol.replace](string, replacement) {
    return native[Symbol.replace].call(this, string, replacement);
  }

  /** @param {unknown} string */
  [Symbol.search](string) {
    return native[Symbol.search].call(this, string);
  }

  /**
   * JavaScript's split (captures included, `limit` honoured) by unanchored searches: the
   * engine's generic one tries a sticky match at every position, quadratic for a pattern like
   * `a*b` over a run of `a`s.
   * @param {unknown} string
   * @param {unknown} limit
   */
  [Symbol.split](string, limit) {
    const input = String(string);
    const max = limit === undefined ? 2 ** 32 - 1 : Number(limit) >>> 0;
    /** @type {(string | undefined)[]} */
    const out = [];
    if (max === 0) return out;
    const matcher = matcherOf(this.#compiled.program, input);
    if (input.length === 0) return matcher.find(0) ? out : [input];
    let last = 0;
    let from = 0;
    while (from < input.length && matcher.find(from)) {
      const start = matcher.start(0);
      const end = matcher.end(0);
      if (start >= input.length) break;
      // An empty match where the last piece ended splits nothing: try one position further.
      if (Math.min(end, input.length) === last) {
        from = start + 1;
        continue;
      }
      out[out.length] = input.slice(last, start);
      if (out.length === max) return out;
      for (let i = 1; i <= matcher.groupCount(); i++) {
        const group = matcher.group(i);
        out[out.length] = group === null ? undefined : group;
        if (out.length === max) return out;
      }
      last = end;
      from = end;
    }
    out[out.length] = input.slice(last);
    return out;
  }

  get [Symbol.toStringTag]() {
    return "RegExp";
  }
}

/**
 * The global `RegExp` user code sees: `RegExp("a+")` without `new` works as with the native one.
 * @type {typeof LinearRegExp}
 */
const CallableRegExp = new Proxy(LinearRegExp, {
  apply: (_target, _self, args) => new LinearRegExp(args[0], args[1]),
});
Object.defineProperty(LinearRegExp.prototype, "constructor", { value: CallableRegExp, writable: true, configurable: true, enumerable: false });

/**
 * A string method's pattern argument as a regular expression: one already, or a linear one built from it.
 * @param {unknown} value
 * @param {string} flags
 * @returns {any}
 */
function asRegExp(value, flags) {
  return value !== null && typeof value === "object" && typeof (/** @type {any} */ (value)[Symbol.match]) === "function"
    ? value
    : new LinearRegExp(value === undefined ? "(?:)" : value, flags);
}

/** @returns {() => void} the uninstaller */
export function installLinearRegExp() {
  const text = String.prototype;
  const saved = { RegExp: globalThis.RegExp, match: text.match, matchAll: text.matchAll, search: text.search };
  const define = (/** @type {object} */ owner, /** @type {string} */ name, /** @type {unknown} */ value) =>
    Object.defineProperty(owner, name, { value, writable: true, configurable: true, enumerable: false });
  define(globalThis, "RegExp", CallableRegExp);
  define(text, "match", /** @this {unknown} @param {unknown} pattern */ function match(pattern) {
    return asRegExp(pattern, "")[Symbol.match](String(this));
  });
  // An object without its own `Symbol.matchAll` would have the engine build a native regular
  // expression from its text (RegExpCreate): it gets a linear one from that text instead.
  define(text, "matchAll", /** @this {unknown} @param {unknown} pattern */ function matchAll(pattern) {
    const regexp = asRegExp(pattern, "g");
    return saved.matchAll.call(this, typeof regexp[Symbol.matchAll] === "function" ? regexp : new LinearRegExp(String(pattern), "g"));
  });
  define(text, "search", /** @this {unknown} @param {unknown} pattern */ function search(pattern) {
    return asRegExp(pattern, "")[Symbol.search](String(this));
  });
  return function uninstall() {
    define(globalThis, "RegExp", saved.RegExp);
    define(text, "match", saved.match);
    define(text, "matchAll", saved.matchAll);
    define(text, "search", saved.search);
  };
}

/**
 * What a regex literal of the user's code becomes: the instrumentation passes it the literal's
 * value, a native object that is never matched against.
 * @param {RegExp} literal
 */
export function regexpLiteral(literal) {
  return new LinearRegExp(literal.source, literal.flags);
}
