import { parse, type AnyNode } from "acorn";
import { simple } from "acorn-walk";
import { describe, expect, it } from "vitest";
import { numericExpressions } from "../../src/sandbox/numeric";

/** Whether each `+` (and `+=`) of the code, in source order, is certainly arithmetic. */
function plusses(code: string): boolean[] {
  const program = parse(`(async function () {\n${code}\n})`, { ecmaVersion: "latest", sourceType: "module" });
  const numeric = numericExpressions(program);
  const found: AnyNode[] = [];
  simple(program, {
    BinaryExpression: (node) => void (node.operator === "+" && found.push(node)),
    AssignmentExpression: (node) => void (node.operator === "+=" && found.push(node)),
  });
  return found.sort((a, b) => a.start - b.start).map(numeric);
}

describe("numericExpressions", () => {
  it("takes arithmetic between numbers for arithmetic: by operator, and by every value a declared variable holds", () => {
    expect(plusses("let i = 0; i += 2; const j = i * 3 + 1; let k; k = -j + (i ? 1 : 2);")).toEqual([true, true, true]);
    expect(plusses("for (let i = 2; i <= n; i++) for (let j = i * i; j <= n; j += i) a[j] = 1;")).toEqual([true]);
    expect(plusses("function collatz(x) { return x % 2 === 0 ? x / 2 : 3 * x + 1 }")).toEqual([true]);
  });

  it("is not certain of parameters, properties, calls, strings or anything a string was ever assigned to", () => {
    expect(plusses("function f(n) { return n + 1 }")).toEqual([false]);
    expect(plusses("let s = 0; s = s + 'x';")).toEqual([false]);
    expect(plusses("let t = 1; const u = t + a.length + f();")).toEqual([false, false]);
    expect(plusses("let v = 1; function later() { v = String(v) } v += 1;")).toEqual([false]);
    expect(plusses("let w = 1; const g = (w) => w + 1;")).toEqual([false]);
  });

  it("is not certain of a name used outside every declaration of it, which may be a global the code set", () => {
    expect(plusses("{ let s = 0; s++ }\nglobalThis.s = 'x'.repeat(9); const r = s + s;")).toEqual([false]);
    expect(plusses("s = s + 1;")).toEqual([false]);
  });
});
