import { describe, expect, it } from "vitest";
import { runCode } from "./node-isolate";

async function result(code: string): Promise<unknown> {
  const envelope = await runCode(code);
  expect(envelope.error ?? null).toBeNull();
  return envelope.result;
}

describe("regular expressions in sandboxed code", () => {
  it("match a catastrophic pattern in linear time, by literal, constructor and string method", async () => {
    // A backtracking engine needs longer than the age of the universe for these inputs: the test would not end.
    const value = await result(`
      const input = "a".repeat(5000) + "!";
      return [/(a+)+$/.test(input), new RegExp("(a+)+$").test(input), RegExp("(x+x+)+y").test("x".repeat(5000)), input.match("(a|a)*$") !== null, input.search("(a+)+b")];`);
    expect(value).toEqual([false, false, false, true, -1]);
  });

  it("keep JavaScript's interface: exec, groups, lastIndex, flags and every string method", async () => {
    const value = await result(`
      const date = /(?<y>\\d{4})-(?<m>\\d\\d)/;
      const m = date.exec("on 2024-05-17");
      const g = /o/g;
      const first = g.exec("foo"); const second = g.exec("foo"); const third = g.exec("foo");
      const sticky = /b/y; sticky.lastIndex = 1;
      return {
        exec: [m[0], m.index, m.groups.y, m.groups.m, m.input],
        global: [first.index, second.index, third, g.lastIndex],
        sticky: [sticky.test("ab"), sticky.lastIndex, sticky.test("ab")],
        flags: [/x/gimsuy.flags, /x/i.ignoreCase, /x/.global, /a\\/b/.source, String(/a/gi), new RegExp(/a/g, "i").flags],
        replace: ["a-b-c".replace(/-/g, "+"), "john smith".replace(/(\\w+)\\s(\\w+)/, "$2, $1"), "x1y2".replace(/\\d/g, (d) => d * 2)],
        replaceAll: "aXbXc".replaceAll(/x/gi, "."),
        match: ["a1b22".match(/\\d+/g), "a1b22".match(/(\\d)(\\d)/).slice(0, 3), "abc".match(/z/)],
        matchAll: [..."a1b2".matchAll(/[a-z](\\d)/g)].map((r) => r[1] + "@" + r.index),
        split: ["a, b,c".split(/\\s*,\\s*/), "a1b2c".split(/(\\d)/), "abc".split(/(?:)/), "".split(/x/), "".split(/(?:)/), "a,b,c".split(/,/, 2)],
        search: "hello world".search(/o w/),
        kinds: [/x/ instanceof RegExp, Object.prototype.toString.call(/x/), typeof RegExp, new RegExp("a").constructor === RegExp],
        indices: /b(c)/d.exec("abc").indices,
        unicode: ["😀a😀".replace(/a/, "b"), /^\\p{L}+$/u.test("héllo"), /./su.exec("😀")[0]],
        caseless: /STRASSE/i.test("strasse"),
        lookbehind: "price: $42".match(/(?<=\\$)\\d+/)[0],
      };`);
    expect(value).toEqual({
      exec: ["2024-05", 3, "2024", "05", "on 2024-05-17"],
      global: [1, 2, null, 0],
      sticky: [true, 2, false],
      flags: ["gimsuy", true, false, "a\\/b", "/a/gi", "i"],
      replace: ["a+b+c", "smith, john", "x2y4"],
      replaceAll: "a.b.c",
      match: [["1", "22"], ["22", "2", "2"], null],
      matchAll: ["1@0", "2@2"],
      split: [["a", "b", "c"], ["a", "1", "b", "2", "c"], ["a", "b", "c"], [""], [], ["a", "b"]],
      search: 4,
      kinds: [true, "[object RegExp]", "function", true],
      indices: [[1, 3], [2, 3]],
      unicode: ["😀b😀", true, "😀"],
      caseless: true,
      lookbehind: "42",
    });
  });

  it("refuse what has no linear-time match, lookahead and backreferences, with a SyntaxError that says why", async () => {
    for (const code of ['/(?=a)a/.test("a")', 'new RegExp("(a)\\\\1").test("aa")']) {
      const envelope = await runCode(code);
      expect(envelope.ok).toBe(false);
      expect(envelope.error).toMatch(/^SyntaxError: Invalid regular expression: .*\(sandboxed code matches with a linear-time engine, RE2: no lookahead, no backreferences\)$/);
    }
    const caught = await result('try { new RegExp("(?=x)"); } catch (e) { return e instanceof SyntaxError; }');
    expect(caught).toBe(true);
  });

  it("match what matchAll would build from a matcher object's text in linear time", async () => {
    // The engine's matchAll makes a regular expression from the text of an object without Symbol.matchAll.
    const code = `const o = { [Symbol.match]: () => null, flags: "g", toString: () => "(a+)+$" };
      return [...("a".repeat(40) + "!").matchAll(o)].length;`;
    expect(await result(code)).toBe(0);
  });

  it("are not loaded for code that names none, which still never gets a native one", async () => {
    expect(await result('return "a,b".split(",").concat("c".repeat(2))')).toEqual(["a", "b", "cc"]);
    const computed = [
      'const name = "Reg" + "Exp"; return new globalThis[name]("(a+)+$").test("a".repeat(40) + "!")',
      'const name = ["se", "arch"].join(""); return ("a".repeat(40) + "!")[name]("(a+)+$")',
      'const name = "ma" + "tchAll"; return [...("a".repeat(40) + "!")[name]("(a+)+$")]',
    ];
    for (const code of computed) {
      const envelope = await runCode(code);
      expect(envelope.ok, code).toBe(false);
      expect(envelope.error).toMatch(/^TypeError: regular expressions were not loaded for this code: .* names RegExp, match, matchAll or search/);
    }
  });

  it("puts RegExp and the string methods back once the run is over", async () => {
    const originals = [RegExp, String.prototype.match, String.prototype.matchAll, String.prototype.search];
    await result("/a/.test('a')");
    expect([RegExp, String.prototype.match, String.prototype.matchAll, String.prototype.search]).toEqual(originals);
    expect("aa".match(/(a)\1/)?.[0]).toBe("aa");
  });
});
