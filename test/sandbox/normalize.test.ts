import { describe, expect, it } from "vitest";
import { normalizeCode } from "../../src/sandbox/normalize";

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => AsyncFn;

function normalized(code: string, asyncGlobals?: string[]): string {
  const result = normalizeCode(code, { asyncGlobals });
  if (!result.ok) throw new Error(result.error);
  return result.code;
}

/** Runs the normalised code as the async function body it is meant to be. */
function run(code: string, globals: Record<string, unknown> = {}): Promise<unknown> {
  return new AsyncFunction(...Object.keys(globals), normalized(code))(...Object.values(globals));
}

/** Capability fakes that resolve later, like RPC calls, and log what they were asked. */
function capabilities() {
  const log: unknown[][] = [];
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));
  return {
    log,
    globals: {
      callTool: (name: string, args: unknown) => (log.push(["callTool", name, args]), later({ name, args, value: 1 })),
      httpFetch: (url: string) => (log.push(["httpFetch", url]), later({ ok: true, status: 200, body: "hi" })),
      executeTask: (prompt: string) => (log.push(["executeTask", prompt]), later({ success: true, response: prompt.toUpperCase() })),
      sendEvent: (type: string) => (log.push(["sendEvent", type]), later({ success: true, event_id: "e1" })),
      tools: { svc: { op: (args: unknown) => later({ op: args }) } },
    },
  };
}

describe("normalizeCode: code shapes", () => {
  it("runs an async function body with its own return", async () => {
    expect(await run("const a = 2;\nreturn a * 21;")).toBe(42);
  });

  it("returns the value of a trailing expression statement", async () => {
    expect(await run("const a = [1, 2, 3];\na.map((x) => x * 2)")).toEqual([2, 4, 6]);
    expect(await run("const s = 'x';\n`${s}y`;")).toBe("xy");
  });

  it("returns a trailing expression even when helper functions are declared after it", async () => {
    expect(await run("double(21)\nfunction double(x) { return x * 2 }")).toBe(42);
  });

  it("returns an object literal written in parentheses", async () => {
    expect(await run("({ a: 1 })")).toEqual({ a: 1 });
  });

  it("returns nothing for code that ends with a declaration", async () => {
    expect(await run("const a = 1;")).toBeUndefined();
  });

  it("calls `export default async function`", async () => {
    expect(await run("export default async function () { return 'done' }")).toBe("done");
  });

  it("calls a named `export default function` and keeps its name usable", async () => {
    const code = "export default function main() { return main.name + '!' }";
    expect(await run(code)).toBe("main!");
    expect(normalized(code)).not.toContain("export");
  });

  it("calls an exported default arrow function", async () => {
    expect(await run("export default async () => 7;")).toBe(7);
  });

  it("returns an exported default value", async () => {
    expect(await run("const n = 3;\nexport default { n, twice: n * 2 };")).toEqual({ n: 3, twice: 6 });
  });

  it("treats `export { x as default }` as the default export", async () => {
    expect(await run("function run() { return 5 }\nexport { run as default };")).toBe(5);
  });

  it("keeps named export declarations as plain declarations", async () => {
    expect(await run("export const a = 4;\nexport function f() { return a }\nf()")).toBe(4);
  });

  it("calls a lone async arrow function", async () => {
    expect(await run("async () => {\n  return 'arrow';\n}")).toBe("arrow");
    expect(await run("(async () => 'paren')")).toBe("paren");
  });

  it("calls an immediately-invoked function's result through", async () => {
    expect(await run("(async () => { return 9 })()")).toBe(9);
  });

  it("calls `main` when the code only declares functions", async () => {
    expect(await run("function helper() { return 2 }\nasync function main() { return helper() + 1 }")).toBe(3);
  });

  it("calls the last function when the code only declares functions and none is named main", async () => {
    expect(await run("function a() { return 'a' }\nfunction b() { return 'b' }")).toBe("b");
  });
});

describe("normalizeCode: entry arguments", () => {
  /** Runs the code normalised to hand the body's own arguments to its entry function. */
  function runWith(code: string, ...args: unknown[]): Promise<unknown> {
    const result = normalizeCode(code, { entryArguments: "...arguments" });
    if (!result.ok) throw new Error(result.error);
    return new AsyncFunction(result.code)(...args);
  }

  it.each([
    ["export default async function (event) { return event.type }"],
    ["export default (event) => event.type"],
    ["const handle = (event) => event.type;\nexport { handle as default };"],
    ["async (event) => event.type"],
    ["function helper(t) { return t }\nfunction main(event) { return helper(event.type) }"],
  ])("passes the arguments to the entry function of %j", async (code) => {
    expect(await runWith(code, { type: "order.placed" })).toBe("order.placed");
  });

  it("calls the entry function with no arguments when none are asked for", () => {
    expect(normalized("export default (event) => event")).toMatch(/return __default\(\);$/);
  });
});

describe("normalizeCode: missing awaits", () => {
  it("awaits capability calls written without await", async () => {
    const { globals } = capabilities();
    const code = "const t = executeTask('hi');\nconst r = callTool('search', { q: 1 });\n[t.response, r.name]";
    expect(await run(code, globals)).toEqual(["HI", "search"]);
  });

  it("awaits a call whose result is used directly", async () => {
    const { globals } = capabilities();
    expect(await run("httpFetch('https://example.com').body.length", globals)).toBe(2);
  });

  it("awaits tools.<service>.<operation>() calls", async () => {
    const { globals } = capabilities();
    expect(await run("const r = tools.svc.op({ a: 1 });\nr.op", globals)).toEqual({ a: 1 });
  });

  it("awaits extra names given in options", async () => {
    const code = "const r = lookup(2);\nr + 1";
    expect(normalized(code, ["lookup"])).toContain("(await lookup(2))");
    const lookup = async (n: number) => n * 10;
    const result = normalizeCode(code, { asyncGlobals: ["lookup"] });
    expect(result.ok && (await new AsyncFunction("lookup", result.code)(lookup))).toBe(21);
  });

  it("does not add a second await", () => {
    expect(normalized("const r = await callTool('a', {});\nr")).toBe("const r = await callTool('a', {});\nreturn r");
  });

  it("awaits inside async callbacks", async () => {
    const { globals } = capabilities();
    const code = "const out = await Promise.all([1, 2].map(async (x) => { const r = callTool('t', { x }); return r.args.x; }));\nout";
    expect(await run(code, globals)).toEqual([1, 2]);
  });

  it("leaves calls inside non-async callbacks as promises, so Promise.all(xs.map(...)) still works", async () => {
    const { globals } = capabilities();
    const code = "const rs = await Promise.all([1, 2].map((x) => callTool('t', { x })));\nrs.map((r) => r.args.x)";
    expect(normalized(code)).not.toContain("(await callTool");
    expect(await run(code, globals)).toEqual([1, 2]);
  });

  it("leaves calls inside Promise.all([...]) concurrent", async () => {
    const { globals, log } = capabilities();
    const code = "const [a, b] = await Promise.all([callTool('a', {}), callTool('b', {})]);\n[a.name, b.name]";
    expect(normalized(code)).toBe(code.replace("\n", "\nreturn "));
    expect(await run(code, globals)).toEqual(["a", "b"]);
    expect(log).toHaveLength(2);
  });

  it("leaves promise chains (.then/.catch/.finally) alone", async () => {
    const { globals } = capabilities();
    const code = "const n = await callTool('a', {}).then((r) => r.value + 1);\nn";
    expect(normalized(code)).toBe("const n = await callTool('a', {}).then((r) => r.value + 1);\nreturn n");
    expect(await run(code, globals)).toBe(2);
  });

  it("awaits a fire-and-forget statement so its call completes before the result", async () => {
    const { globals, log } = capabilities();
    expect(await run("sendEvent('done', {})\n'ok'", globals)).toBe("ok");
    expect(log).toEqual([["sendEvent", "done"]]);
  });

  it("guards a statement that now starts with a parenthesis against ASI joining it to the line before", async () => {
    const { globals } = capabilities();
    const code = "const a = 1\ncallTool('x', {}).name.length\nreturn a";
    expect(normalized(code)).toContain("\n;(await callTool('x', {})).name.length");
    expect(await run(code, globals)).toBe(1);
  });

  it("never adds await where it would be a syntax error", async () => {
    const { globals } = capabilities();
    const code = [
      "class A { field = callTool('field', {}); static { callTool('static', {}); } }",
      "async function withDefault(p = callTool('param', {})) { return p }",
      "function sync() { return callTool('sync', {}) }",
      "function* gen() { yield callTool('gen', {}) }",
      "const p = await withDefault();",
      "p.name",
    ].join("\n");
    expect(await run(code, globals)).toBe("param");
  });
});

describe("normalizeCode: rejected code", () => {
  it("rejects an import declaration with its position and what to use instead", () => {
    const result = normalizeCode("const a = 1;\nimport fs from 'node:fs';\nfs");
    expect(result).toEqual({ ok: false, error: expect.stringContaining("An import at 2:1 is not available in the sandbox") });
    expect(!result.ok && result.error).toContain("callTool");
  });

  it("rejects a dynamic import() with its position", () => {
    expect(normalizeCode("const m = await import('cloudflare:workers');")).toEqual({
      ok: false,
      error: expect.stringContaining("A dynamic import() at 1:17"),
    });
  });

  it("rejects re-exports, which are imports too", () => {
    expect(normalizeCode("export * from 'x';")).toMatchObject({ ok: false, error: expect.stringContaining("A re-export at 1:1") });
    expect(normalizeCode("export { a } from 'x';")).toMatchObject({ ok: false, error: expect.stringContaining("A re-export") });
  });

  it("reports a syntax error with line:column", () => {
    expect(normalizeCode("const a = 1;\nconst b = ;\n")).toEqual({ ok: false, error: "SyntaxError at 2:11: Unexpected token" });
  });

  it("reports an await inside a non-async function as a syntax error", () => {
    const result = normalizeCode("function f() { await callTool('a', {}) }");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^SyntaxError at 1:16: /);
  });
});
