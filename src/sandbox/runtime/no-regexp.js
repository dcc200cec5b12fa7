// @ts-check
/**
 * What stands in for regexp.js in an isolate whose program never names a regular expression: no
 * regex literal, and not one of the names `RegExp`, `match`, `matchAll`, `search` anywhere, as an
 * identifier, a property or a string (instrument.ts decides). Loading RE2 costs every isolate
 * several milliseconds, so such a program gets this instead — and still never a native,
 * backtracking, regular expression: everything that would build one from a pattern is refused
 * with an error that says how to write the code so the linear-time engine is loaded (a program
 * can only reach these by computing a name the check did not see).
 *
 * Like regexp.js, `install()` returns the uninstaller: the Node stand-in of the unit tests shares
 * its globals.
 */

const MESSAGE =
  "regular expressions were not loaded for this code: the sandbox loads its linear-time engine when the code " +
  "has a regex literal or names RegExp, match, matchAll or search, and this code only reached one by a name it computed";

/**
 * Whether a string method's pattern argument is an object with the method's own symbol (`match`
 * has `Symbol.match`, …): the method then calls it, and builds no native regular expression.
 * `matchAll` without `Symbol.matchAll` would build one from the object's text.
 * @param {unknown} value
 * @param {symbol} method
 */
function matcherObject(value, method) {
  return value !== null && typeof value === "object" && typeof (/** @type {any} */ (value)[method]) === "function";
}

/** @returns {() => void} the uninstaller */
export function installRegExpRefusal() {
  const text = String.prototype;
  const saved = { RegExp: globalThis.RegExp, match: text.match, matchAll: text.matchAll, search: text.search };
  const define = (/** @type {object} */ owner, /** @type {string} */ name, /** @type {unknown} */ value) =>
    Object.defineProperty(owner, name, { value, writable: true, configurable: true, enumerable: false });
  const refuse = () => {
    throw new TypeError(MESSAGE);
  };
  /**
   * @param {Function} original
   * @param {symbol} method
   */
  const guarded = (original, method) =>
    /** @this {unknown} @param {unknown} pattern */
    function (pattern) {
      if (!matcherObject(pattern, method)) refuse();
      return original.call(this, pattern);
    };
  // A function, so `new RegExp(…)` gets the refusal too, not "RegExp is not a constructor".
  define(globalThis, "RegExp", function RegExp() {
    refuse();
  });
  define(text, "match", guarded(saved.match, Symbol.match));
  define(text, "matchAll", guarded(saved.matchAll, Symbol.matchAll));
  define(text, "search", guarded(saved.search, Symbol.search));
  return function uninstall() {
    define(globalThis, "RegExp", saved.RegExp);
    define(text, "match", saved.match);
    define(text, "matchAll", saved.matchAll);
    define(text, "search", saved.search);
  };
}

/** Never called: code with a regex literal is given regexp.js. */
export function regexpLiteral() {
  throw new TypeError(MESSAGE);
}
