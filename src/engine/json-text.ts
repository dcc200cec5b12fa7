/**
 * Untrusted JSON text — request bodies, a model's tool arguments, chain files — read within two
 * bounds. It may nest no deeper than `MAX_JSON_DEPTH`, checked by a scan that does not recurse
 * before anything parses it: parsers, validators, `structuredClone` and `JSON.stringify` all
 * recurse, and 100,000 nested brackets overflow their stack. And no object in it may have a
 * `__proto__` key: `JSON.parse` keeps one as plain data, but the first copy made by assignment
 * (a schema library building its output, `Object.assign`) turns it into the copy's prototype, so
 * a key the validator never saw would be read through inheritance.
 */

/** Deeper than any chain, tool schema or payload a person writes; shallow enough for every recursive walk. */
export const MAX_JSON_DEPTH = 64;

export const FORBIDDEN_KEY = "__proto__";

export type JsonPath = Array<string | number>;

export type JsonTextResult =
  | { ok: true; value: unknown }
  | { ok: false; type: "invalid_json" | "too_deep" | "forbidden_key"; message: string; path: JsonPath };

export function parseJsonText(text: string): JsonTextResult {
  const tooDeep = tooDeepAt(text);
  if (tooDeep !== undefined) return { ok: false, type: "too_deep", message: tooDeepMessage(tooDeep), path: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, type: "invalid_json", message: error instanceof Error ? error.message : String(error), path: [] };
  }
  const forbidden = forbiddenKeyPath(value);
  if (forbidden) return { ok: false, type: "forbidden_key", message: forbiddenKeyMessage(), path: forbidden };
  return { ok: true, value };
}

export function tooDeepMessage(offset: number): string {
  return `the JSON nests deeper than ${MAX_JSON_DEPTH} levels (at character ${offset})`;
}

export function forbiddenKeyMessage(): string {
  return `an object has the key "${FORBIDDEN_KEY}", which is not allowed`;
}

/**
 * The offset of the first bracket that opens level `MAX_JSON_DEPTH + 1`, or undefined. Brackets
 * inside strings do not count; with `comments`, neither do those inside `//` and `/* *\/`
 * comments (JSONC). Malformed text is left for the parser to report.
 */
export function tooDeepAt(text: string, comments = false): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (comments && c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (comments && c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return undefined;
}

/** Where in a parsed value an object has the `__proto__` key as its own; undefined when none does. */
export function forbiddenKeyPath(value: unknown): JsonPath | undefined {
  const stack: Array<{ node: unknown; path: JsonPath }> = [{ node: value, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push({ node: item, path: [...path, index] }));
    } else if (typeof node === "object" && node !== null) {
      if (Object.hasOwn(node, FORBIDDEN_KEY)) return [...path, FORBIDDEN_KEY];
      for (const [key, item] of Object.entries(node)) stack.push({ node: item, path: [...path, key] });
    }
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
