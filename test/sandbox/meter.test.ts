import { describe, expect, it } from "vitest";
import { runCode } from "./node-isolate";

const BUDGET = 1024 * 1024;

function run(code: string, maxAllocBytes = BUDGET) {
  return runCode(code, { max_alloc_bytes: maxAllocBytes });
}

const STOPPED = /^Execution stopped: more than 1048576 bytes allocated in big strings, arrays and buffers \(limits\.max_alloc_bytes\)/;

describe("the allocation meter", () => {
  it.each([
    ["big strings", 'const a = [];\nwhile (true) a.push("x".repeat(100000));'],
    ["padded strings", 'const a = [];\nfor (let i = 0; ; i++) a.push(String(i).padStart(50000, "0"));'],
    ["filled arrays", "const a = [];\nwhile (true) a.push(new Array(10000).fill(0));"],
    ["preallocated arrays", "const a = [];\nwhile (true) a.push(Array(20000));"],
    ["Array.from with a length", "const a = [];\nwhile (true) a.push(Array.from({ length: 20000 }, () => 1));"],
    ["doubling by spread", "let a = [1];\nwhile (true) a = [...a, ...a];"],
    ["doubling by concat", "let a = [1];\nwhile (true) a = a.concat(a);"],
    ["doubling by join", 'let s = "ab";\nwhile (true) s = [s, s].join("");'],
    ["growing by apply", "const a = [];\nconst b = Array.from({ length: 1000 }, (_, i) => i);\nwhile (true) a.push.apply(a, b);"],
    ["growing by spread arguments", "const a = [];\nconst b = [1, 2, 3, 4, 5, 6, 7, 8];\nwhile (true) a.push(...b, ...b);"],
    ["typed arrays", "const a = [];\nwhile (true) a.push(new Uint8Array(100000));"],
    ["buffers", "const a = [];\nwhile (true) a.push(new ArrayBuffer(100000));"],
    ["JSON copies", "let o = { a: [1, 2, 3] };\nwhile (true) o = { l: JSON.parse(JSON.stringify(o)), r: JSON.parse(JSON.stringify(o)) };"],
  ])("stops %s with a clear error", async (_kind, code) => {
    const envelope = await run(code);
    expect(envelope).toMatchObject({ ok: false, result: null });
    expect(envelope.error).toMatch(STOPPED);
  });

  it.each([
    ["a doubled string that is then copied", "let s = 'x';\nfor (let i = 0; i < 28; i++) s += s;\nconst k = [];\nfor (let i = 0; i < 16; i++) k[k.length] = (s + i).toUpperCase();"],
    ["a doubled string, read by a method", "let s = 'x';\nfor (let i = 0; i < 28; i++) s += s;\nconst k = [];\nfor (let i = 0; i < 16; i++) { const t = s + i; k[k.length] = t; t.charCodeAt(0); }"],
    ["a string doubled by a template", "let s = 'x';\nwhile (true) s = `${s}${s}`;"],
    ["a string doubled by concat", "let s = 'x';\nwhile (true) s = s.concat(s);"],
    ["lengthened arrays that are then filled", "const k = [];\nwhile (true) { const a = [1];\na.length = 2e7;\nk.push(a.fill(7)); }"],
    ["copies of a big array", "const a = new Array(2e6).fill(0);\nconst k = [];\nwhile (true) k.push(a.toReversed());"],
  ])("stops %s under the default budget", async (_kind, code) => {
    const envelope = await runCode(code);
    expect(envelope.error).toMatch(/^Execution stopped: more than 268435456 bytes allocated/);
  });

  it("lets ordinary string building run: appending lines, templates, copies of small strings", async () => {
    const envelope = await run(
      [
        "let out = '';",
        "for (let i = 0; i < 20000; i++) out += `line ${i}: ${'-'.repeat(20)}\\n`;",
        "let words = '';",
        "for (let i = 0; i < 20000; i++) words = words + 'w' + i;",
        "return { lines: out.split('\\n').length, upper: out.toUpperCase().length, words: words.length, slice: out.slice(-5) };",
      ].join("\n"),
      268435456,
    );
    expect(envelope).toMatchObject({ ok: true, result: { lines: 20001, upper: 648890, words: 108890, slice: "----\n" } });
  });

  it("refuses one huge allocation before making it", async () => {
    const envelope = await run('const s = "x".padEnd(2 ** 28); return s.length');
    expect(envelope.error).toMatch(STOPPED);
  });

  it("lets programs that allocate within the budget run unchanged", async () => {
    const envelope = await run(
      [
        "const xs = Array.from({ length: 1000 }, (_, i) => i);",
        'const csv = xs.join(",");',
        "class List extends Array {}",
        "const list = new List(3);",
        "return {",
        "  max: Math.max(...xs),",
        '  parts: csv.split(",").length,',
        '  line: "-".repeat(5) + "x".padStart(3, "."),',
        "  both: [...xs.slice(0, 2), ...new Set([7])],",
        "  kinds: [xs instanceof Array, Array.isArray(xs), list instanceof List, list instanceof Array, list.length, new Array(2).length],",
        "  bytes: new Uint8Array([1, 2, 3]).length + new ArrayBuffer(16).byteLength,",
        "  json: JSON.stringify({ a: 1 }),",
        "  applied: Math.min.apply(null, [4, 2, 9]),",
        "};",
      ].join("\n"),
    );
    expect(envelope).toMatchObject({
      ok: true,
      result: { max: 999, parts: 1000, line: "-----..x", both: [0, 1, 7], kinds: [true, true, true, true, 3, 2], bytes: 19, json: '{"a":1}', applied: 2 },
    });
  });

  it("puts the built-ins back once the run is over, whether it succeeded or was stopped", async () => {
    const originals = [String.prototype.repeat, Array, Array.from, Array.prototype.concat, JSON.stringify, Function.prototype.apply, Reflect.apply, Uint8Array];
    await run('"x".repeat(10)');
    await run('const a = [];\nwhile (true) a.push("x".repeat(100000));');
    expect([String.prototype.repeat, Array, Array.from, Array.prototype.concat, JSON.stringify, Function.prototype.apply, Reflect.apply, Uint8Array]).toEqual(
      originals,
    );
    expect("ab".repeat(2)).toBe("abab");
  });
});
