import { describe, expect, it } from "vitest";
import { EXCEPTION_WEIGHT, instrumentCode, LOOP_BATCH } from "../../src/sandbox/instrument";
import { normalizeCode } from "../../src/sandbox/normalize";

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => AsyncFn;
const CHECK = "__sy_test_check";

/** A budget like the prelude's: counts weighted steps and, once spent, throws on every check. */
function budget(max: number) {
  const state = { ticks: 0, spent: false };
  const check = (weight = 1) => {
    if (state.spent) throw new Error("budget spent");
    state.ticks += weight;
    if (state.ticks > max) {
      state.spent = true;
      throw new Error("budget spent");
    }
  };
  return { state, check };
}

function normalized(code: string): string {
  const result = normalizeCode(code);
  if (!result.ok) throw new Error(result.error);
  return result.code;
}

function prepare(code: string): string {
  return instrumentCode(normalized(code), CHECK).code;
}

function run(code: string, max = 100_000) {
  const { state, check } = budget(max);
  const same = (value: unknown) => value;
  const helpers = ["_add", "_part", "_text", "_regexp", "_spread"].map((suffix) => CHECK + suffix);
  return { state, result: new AsyncFunction(CHECK, ...helpers, prepare(code))(() => check(), check, same, same, same, same) };
}

describe("instrumentCode stops runaway code", () => {
  it.each([
    ["while (true) {}"],
    ["while (true);"],
    ["for (;;) {}"],
    ["for (;;) ;"],
    ["do {} while (true)"],
    ["do ; while (true)"],
    ["let i = 0; while (i >= 0) i++;"],
    ["function* naturals() { let n = 0; while (true) yield n++ }\nfor (const n of naturals()) {}"],
    ["const o = new Proxy({}, { ownKeys: () => ['a'] }); for (;;) for (const k in o) {}"],
  ])("stops %s", async (code) => {
    await expect(run(code).result).rejects.toThrow("budget spent");
  });

  it("stops plain recursion", async () => {
    await expect(run("function f() { return f() }\nf()", 1_000).result).rejects.toThrow("budget spent");
  });

  it("stops recursion through arrow functions with expression bodies", async () => {
    await expect(run("const f = (n) => f(n + 1);\nf(0)", 1_000).result).rejects.toThrow("budget spent");
  });

  it("stops recursion through methods, getters and class constructors", async () => {
    await expect(run("const o = { get x() { return this.x } };\no.x", 1_000).result).rejects.toThrow("budget spent");
    await expect(run("class A { constructor() { new A() } }\nnew A()", 1_000).result).rejects.toThrow("budget spent");
  });

  it("stops an unbounded async loop", async () => {
    await expect(run("while (true) { await null }").result).rejects.toThrow("budget spent");
  });

  it("stops a try/catch recursion bomb, charging each caught exception extra", async () => {
    const { state, result } = run("function f() { try { f() } catch { f() } }\nf()", 2_000_000);
    await expect(result).rejects.toThrow("budget spent");
    expect(state.spent).toBe(true);
  });

  it("stops a try/finally recursion bomb", async () => {
    await expect(run("function g() { try { g() } finally { g() } }\ng()", 2_000_000).result).rejects.toThrow("budget spent");
  });

  it("does not let a user catch resume after the budget is spent", async () => {
    const code = "let n = 0;\ntry { while (true) n++ } catch {}\nfor (;;) { break }\nreturn n";
    await expect(run(code, 1_000).result).rejects.toThrow("budget spent");
  });
});

describe("instrumentCode keeps code meaning", () => {
  it("opens a loop's count before a metered expression its body starts with", async () => {
    const count = `if (++C_n === ${LOOP_BATCH}) { C_n = 0; C_add(${LOOP_BATCH}); }`;
    const scope = (loop: string) => `{ let C_n = 0; try { ${loop} } finally { C_add(C_n); } }`;
    expect(instrumentCode("while (a) s += b", "C").code).toBe(scope(`while (a) {${count}C_text(s += C_part(b))}`));
    expect(instrumentCode("for(;;){s+=b}", "C").code).toBe(scope(`for(;;){${count}C_text(s+=C_part(b))}`));
    await expect(run('let s = "", i = 0; while (i++ < 3) s += "ab"\nreturn s').result).resolves.toBe("ababab");
  });

  it("counts one step per loop iteration and per function entry", async () => {
    const { state, result } = run("function f(x) { return x }\nlet s = 0;\nfor (let i = 0; i < 10; i++) s += f(i);\ns");
    expect(await result).toBe(45);
    expect(state.ticks).toBe(20);
  });

  it("charges a caught exception EXCEPTION_WEIGHT steps", async () => {
    const { state, result } = run("try { null.x } catch { }\n1");
    expect(await result).toBe(1);
    expect(state.ticks).toBe(EXCEPTION_WEIGHT);
  });

  it("keeps results of code mixing braceless bodies, labels, arrows and classes", async () => {
    const code = [
      "const out = [];",
      "outer: for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (j > i) continue outer; else out.push(i * 10 + j)",
      "let k = 0; while (k < 2) k++",
      "do k += 10; while (k < 30)",
      "const obj = (x) => ({ x, sq: x * x });",
      "const curry = (a) => (b) => a + b;",
      "class P { #v = 2; get v() { return this.#v } static of() { return new P() } }",
      "function fin() { try { return 'try' } finally { out.push('finally') } }",
      "const t = fin();",
      "for (const key in { a: 1 }) out.push(key);",
      "[out, k, obj(3), curry(1)(2), P.of().v, t]",
    ].join("\n");
    const expected = await new AsyncFunction(normalized(code))();
    const { result } = run(code);
    expect(await result).toEqual(expected);
    expect(expected).toEqual([[0, 10, 11, 20, 21, 22, "finally", "a"], 32, { x: 3, sq: 9 }, 3, 2, "try"]);
  });

  it("puts the check at the start of each body, keeping the rest as written", () => {
    expect(instrumentCode("function f() { g() }\nconst h = x => x * 2\nwhile (a) await b()", "C").code).toBe("function f() {C(); g() }\nconst h = x => (C(), x * 2)\nwhile (a) {C();await b()}");
  });

  it("has a loop that cannot suspend count for itself, charging a batch at a time and the rest when it ends", () => {
    const count = (body: string) => `if (++C_n === ${LOOP_BATCH}) { C_n = 0; C_add(${LOOP_BATCH}); }${body}`;
    const scope = (loop: string) => `{ let C_n = 0; try { ${loop} } finally { C_add(C_n); } }`;
    expect(instrumentCode("while (a) b()", "C").code).toBe(scope(`while (a) {${count("b()")}}`));
    expect(instrumentCode("outer: for (const x of xs) for (;;) continue outer", "C").code).toBe(
      scope(`outer: for (const x of xs) {${count(scope(`for (;;) {${count("continue outer")}}`))}}`),
    );
  });

  it("charges exactly the iterations a loop ran, however it ended", async () => {
    for (const [code, ticks] of [
      ["for (let i = 0; i < 3000; i++) {}", 3000],
      ["for (let i = 0; ; i++) if (i === 2500) break", 2501],
      ["function f() { for (let i = 0; ; i++) if (i === 1500) return i }\nf()", 1502],
      ["try { for (let i = 0; ; i++) if (i === 10) throw 1 } catch {}", 11 + EXCEPTION_WEIGHT],
    ] as const) {
      const { state, result } = run(code);
      await result;
      expect(state.ticks, code).toBe(ticks);
    }
  });

  it("passes the value of every spread through the spread meter, keeping its meaning", () => {
    expect(instrumentCode("f(...a, [...b], { ...c })", "C").code).toBe("f(...C_spread(a), [...C_spread(b)], { ...C_spread(c) })");
  });

  it("leaves arithmetic unmetered", () => {
    expect(instrumentCode("let i = 0; i += 2; const j = i * 3 + 1", "C").code).toBe("let i = 0; i += 2; const j = i * 3 + 1");
  });

  it("passes what a concatenation appends and what it makes through the string meter, keeping its meaning", () => {
    expect(instrumentCode("s += t; u = a + b + 1; v = `x${a}y${b}`; w = tag`x${a}`", "C").code).toBe(
      "C_text(s += C_part(t)); u = C_text(C_text(a + C_part(b)) + 1); v = C_text(`x${a}y${C_part(b)}`); w = tag`x${a}`",
    );
  });

  it("passes every regex literal through the linear regular expression", () => {
    expect(instrumentCode('"a".match(/(a+)+$/g)', "C").code).toBe('"a".match(C_regexp(/(a+)+$/g))');
  });

  it("says whether the code can make a regular expression: a literal, or RegExp, match, matchAll or search named anywhere", () => {
    const names = (code: string) => instrumentCode(code, "C").regexps;
    for (const code of ["/a/.test(s)", "new RegExp(p)", "s.match(p)", "s.matchAll(p)", 's["search"](p)', "Reflect.get(String.prototype, `match`)", "const { match: m } = String.prototype", "const o = { search() {} }"]) {
      expect(names(code), code).toBe(true);
    }
    for (const code of ["return 1", "s.replace('a', 'b').split(',')", "const matches = s.includes(p)", "regexp.test(s)"]) expect(names(code), code).toBe(false);
  });

  it("refuses a body that is not self-contained", () => {
    expect(() => instrumentCode("}); (function () {", "C")).toThrow("self-contained");
  });
});
