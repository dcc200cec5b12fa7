import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, parseJsonText, tooDeepAt } from "../../src/engine/json-text";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("untrusted JSON text", () => {
  it("parses ordinary JSON", () => {
    expect(parseJsonText('{"a": [1, {"b": "c"}], "constructor": 1}')).toEqual({ ok: true, value: { a: [1, { b: "c" }], constructor: 1 } });
  });

  it("refuses 100,000 nested arrays before parsing, naming where the limit was passed", () => {
    expect(parseJsonText(nested(100_000))).toEqual({ ok: false, type: "too_deep", message: `the JSON nests deeper than ${MAX_JSON_DEPTH} levels (at character ${MAX_JSON_DEPTH})`, path: [] });
    expect(parseJsonText(nested(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
  });

  it("does not count brackets inside strings, escaped quotes included, nor, for JSONC, inside comments", () => {
    const inString = JSON.stringify({ text: `\\"${"[".repeat(200)}` });
    expect(parseJsonText(inString)).toMatchObject({ ok: true });
    expect(tooDeepAt(`// ${"{".repeat(200)}\n/* ${"[".repeat(200)} */ {}`, true)).toBeUndefined();
    expect(tooDeepAt(`/* ${"[".repeat(200)} */ {}`, false)).toBe(3 + MAX_JSON_DEPTH);
  });

  it("refuses a __proto__ key at any depth, with its path", () => {
    expect(parseJsonText('{"tasks": [{"execute_config": {"__proto__": {"tools": ["*"]}}}]}')).toEqual({
      ok: false,
      type: "forbidden_key",
      message: 'an object has the key "__proto__", which is not allowed',
      path: ["tasks", 0, "execute_config", "__proto__"],
    });
  });

  it("reports text that is not JSON", () => {
    expect(parseJsonText("{nope")).toMatchObject({ ok: false, type: "invalid_json" });
  });
});
