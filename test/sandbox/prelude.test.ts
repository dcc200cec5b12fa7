import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/sandbox/limits";
import type { SandboxLimits } from "../../src/sandbox/limits";
import { normalizeCode } from "../../src/sandbox/normalize";
import { buildSandboxModule } from "../../src/sandbox/isolate-module";
import type { IsolateOutput } from "../../src/sandbox/isolate-module";
import { runModule } from "./node-isolate";

type Received = [method: string, args: unknown[]];

/** A capability stub like `SandboxCapabilities`: answers every method and records the calls. */
function fakeCaps(overrides: Record<string, (...args: unknown[]) => Promise<unknown>> = {}) {
  const received: Received[] = [];
  const answer = (method: string, reply: (...args: unknown[]) => unknown) => async (...args: unknown[]) => {
    received.push([method, args]);
    return overrides[method] ? overrides[method](...args) : reply(...args);
  };
  const caps = {
    httpFetch: answer("httpFetch", (url) => ({ ok: true, status: 200, statusText: "OK", url, headers: {}, body: "hello" })),
    executeTask: answer("executeTask", (prompt) => ({ success: true, response: `answer to ${prompt}`, task_id: "task-1" })),
    executeTaskChain: answer("executeTaskChain", (id, input) => ({ success: true, output: { id, input }, run_id: "run-2" })),
    callTool: answer("callTool", (name, args) => ({ tool: name, args })),
    sendEvent: answer("sendEvent", () => ({ success: true, event_id: "event-1" })),
  };
  return { caps, received };
}

async function run(
  code: string,
  options: { limits?: Partial<SandboxLimits>; tools?: string[]; caps?: object } = {},
): Promise<IsolateOutput> {
  const normalized = normalizeCode(code);
  if (!normalized.ok) throw new Error(normalized.error);
  const { source } = buildSandboxModule({
    code: normalized.code,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    tools: options.tools ?? [],
  });
  return runModule(source, options.caps ?? fakeCaps().caps);
}

const resultOf = (output: IsolateOutput): unknown => {
  expect(output).toMatchObject({ ok: true, error: null });
  return JSON.parse(output.result_json!);
};

describe("sandbox globals", () => {
  it("call the capability stub and return its answers", async () => {
    const { caps, received } = fakeCaps();
    const output = await run(
      [
        "const page = httpFetch('https://example.com', { method: 'GET' });",
        "const task = executeTask('2+2?', 'small-model');",
        "const sub = executeTaskChain('summarise', { text: 'x' });",
        "const tool = callTool('search', { q: 'cats' });",
        "const event = sendEvent('done', { n: 1 });",
        "[page.body, task.response, sub.output, tool, event.event_id]",
      ].join("\n"),
      { caps },
    );
    expect(resultOf(output)).toEqual([
      "hello",
      "answer to 2+2?",
      { id: "summarise", input: { text: "x" } },
      { tool: "search", args: { q: "cats" } },
      "event-1",
    ]);
    expect(received).toEqual([
      ["httpFetch", ["https://example.com", { method: "GET" }]],
      ["executeTask", ["2+2?", "small-model"]],
      ["executeTaskChain", ["summarise", { text: "x" }]],
      ["callTool", ["search", { q: "cats" }]],
      ["sendEvent", ["done", { n: 1 }]],
    ]);
  });

  it("record every call with its arguments, outcome, result and duration", async () => {
    const { caps } = fakeCaps({ callTool: async () => ({ error: "tool exploded" }) });
    const output = await run("executeTask('hi');\ncallTool('bad', { a: 1 });", { caps });
    expect(output.calls).toEqual([
      { name: "executeTask", args: ["hi"], ok: true, result: { success: true, response: "answer to hi", task_id: "task-1" }, duration_ms: expect.any(Number) },
      { name: "callTool", args: ["bad", { a: 1 }], ok: false, error: "tool exploded", duration_ms: expect.any(Number) },
    ]);
  });

  it("record a long result as the start of its text, and give the code the whole of it", async () => {
    const long = "x".repeat(5_000);
    const { caps } = fakeCaps({ callTool: async () => ({ text: long }) });
    const output = await run("const r = await callTool('big', {});\nreturn r.text.length;", { caps });
    expect(output.result_json).toBe("5000");
    const recorded = output.calls[0]!.result as string;
    expect(recorded.startsWith(`{"text":"xxx`)).toBe(true);
    expect(recorded).toMatch(/… \(5011 characters\)$/);
  });

  it("turn a thrown remote error into each capability's failure value", async () => {
    const boom = async () => {
      throw new Error("connection reset");
    };
    const { caps } = fakeCaps({ httpFetch: boom, executeTask: boom, executeTaskChain: boom, callTool: boom, sendEvent: boom });
    const output = await run(
      "[httpFetch('https://x.test/'), executeTask('p'), executeTaskChain('c', {}), callTool('t', {}), sendEvent('e', {})]",
      { caps },
    );
    expect(resultOf(output)).toEqual([
      { ok: false, status: 0, statusText: "", url: "https://x.test/", headers: {}, body: "", error: "httpFetch failed: Error: connection reset" },
      { success: false, response: "", task_id: "", error: "executeTask failed: Error: connection reset" },
      { success: false, output: null, run_id: "", error: "executeTaskChain failed: Error: connection reset" },
      { error: "callTool failed: Error: connection reset" },
      { success: false, event_id: "", error: "sendEvent failed: Error: connection reset" },
    ]);
    expect(output.calls.map((c) => c.ok)).toEqual([false, false, false, false, false]);
  });

  it("stop at limits.max_calls with a clear error", async () => {
    const { caps, received } = fakeCaps();
    const output = await run("for (let i = 0; i < 10; i++) callTool('t', { i });", { caps, limits: { max_calls: 3 } });
    expect(output).toMatchObject({ ok: false, error: "Error: callTool: more than 3 capability calls in one run (limits.max_calls)" });
    expect(received).toHaveLength(3);
  });

  it("refuse arguments over limits.max_arg_bytes without calling the host", async () => {
    const { caps, received } = fakeCaps();
    const output = await run("callTool('t', { text: 'x'.repeat(2000) })", { caps, limits: { max_arg_bytes: 1000 } });
    expect(output.ok).toBe(false);
    expect(output.error).toMatch(/^TypeError: callTool: arguments are 20\d\d bytes, over limits\.max_arg_bytes \(1000\)$/);
    expect(received).toEqual([]);
  });

  it("replace a result over limits.max_arg_bytes with a failure value", async () => {
    const { caps } = fakeCaps({ callTool: async () => ({ blob: "y".repeat(5000) }) });
    const output = await run("callTool('t', {})", { caps, limits: { max_arg_bytes: 1000 } });
    expect(resultOf(output)).toEqual({ error: expect.stringMatching(/^callTool: the result is 50\d\d bytes, over limits\.max_arg_bytes \(1000\)$/) });
  });

  it.each([
    ["a function", "callTool('t', { f: () => 1 })", 'a function (at key "f") is not JSON-serialisable'],
    ["a Map", "callTool('t', { m: new Map() })", 'a Map (at key "m") is not JSON-serialisable'],
    ["a promise", "callTool('t', { p: Promise.resolve(1) })", 'a Promise (at key "p") is not JSON-serialisable; is an await missing?'],
  ])("refuse %s in arguments", async (_what, code, message) => {
    const output = await run(code);
    expect(output.ok).toBe(false);
    expect(output.error).toContain(`callTool arguments must be JSON-serialisable: ${message}`);
  });
});

describe("the tools API", () => {
  const tools = ["github__create_issue", "github__list_repos", "web_search"];

  it("maps tools.<service>.<operation>(args) and tools.<name>(args) to callTool", async () => {
    const { caps, received } = fakeCaps();
    const output = await run("[tools.github.create_issue({ title: 'x' }), tools.web_search({ q: 'y' })]", { caps, tools });
    expect(resultOf(output)).toEqual([
      { tool: "github__create_issue", args: { title: "x" } },
      { tool: "web_search", args: { q: "y" } },
    ]);
    expect(received.map(([, args]) => args[0])).toEqual(["github__create_issue", "web_search"]);
  });

  it("names the granted tools when code asks for one that is not", async () => {
    expect((await run("tools.github.delete_repo({})", { tools })).error).toBe(
      "TypeError: tools.github.delete_repo is not a granted tool; available: tools.github.create_issue, tools.github.list_repos",
    );
    expect((await run("tools.slack.post({})", { tools })).error).toBe(
      "TypeError: tools.slack is not a granted tool; available: tools.web_search, tools.github",
    );
    expect((await run("tools.x.y()")).error).toBe("TypeError: tools.x is not a granted tool; no tools are granted");
  });
});

describe("console capture", () => {
  it("captures every level, formatting values as JSON and errors by message", async () => {
    const output = await run(
      "console.log('plain', 1, { a: [1, 2] });\nconsole.info('i');\nconsole.warn('w');\nconsole.error(new TypeError('bad'));\nconsole.debug(null, undefined);\nconsole.assert(1 > 2, 'math');",
    );
    expect(output.logs).toEqual(["plain 1 {\"a\":[1,2]}", "[info] i", "[warn] w", "[error] TypeError: bad", "[debug] null undefined", "[error] Assertion failed: math"]);
  });

  it("stops at limits.max_log_bytes with a truncation marker", async () => {
    const output = await run("for (let i = 0; i < 100; i++) console.log('line ' + i);", { limits: { max_log_bytes: 40 } });
    expect(output.logs).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4", "line ", "[… logs truncated: more than 40 bytes (limits.max_log_bytes)]"]);
    expect(output.ok).toBe(true);
  });
});

describe("the result", () => {
  it("is null when the code returns nothing", async () => {
    expect(resultOf(await run("const a = 1;"))).toBeNull();
  });

  it("resolves an array of promises one level deep", async () => {
    expect(resultOf(await run("[1, 2].map((x) => callTool('t', { x }))"))).toEqual([
      { tool: "t", args: { x: 1 } },
      { tool: "t", args: { x: 2 } },
    ]);
  });

  it("keeps a __proto__ key of the result as data", async () => {
    const output = await run(`JSON.parse('{"__proto__": {"x": 1}, "y": 2}')`);
    expect(output.result_json).toBe('{"__proto__":{"x":1},"y":2}');
  });

  it.each([
    ["new Map([[1, 2]])", "TypeError: the result must be JSON-serialisable: a Map is not JSON-serialisable; use Object.fromEntries(map)"],
    ["({ s: new Set() })", 'TypeError: the result must be JSON-serialisable: a Set (at key "s") is not JSON-serialisable; use [...set]'],
    ["() => 1", "TypeError: the result must be JSON-serialisable: a function is not JSON-serialisable"],
    ["10n", "TypeError: the result must be JSON-serialisable: Do not know how to serialize a BigInt"],
    ["const o = {}; o.o = o; o", "TypeError: the result must be JSON-serialisable: "],
  ])("fails clearly when it is not JSON-serialisable: %s", async (code, error) => {
    const output = await run(code.startsWith("()") ? `return ${code}` : code);
    expect(output.ok).toBe(false);
    expect(output.error).toContain(error);
  });

  it.each([
    ["throw new RangeError('too far')", "RangeError: too far"],
    ["throw 'just a string'", "just a string"],
    ["throw { code: 42 }", '{"code":42}'],
    ["throw 7", "7"],
    ["throw undefined", "undefined"],
  ])("reports `%s` as a readable error", async (code, error) => {
    expect(await run(code)).toMatchObject({ ok: false, result_json: null, error });
  });
});

describe("runaway code", () => {
  it("is stopped by the step budget with a clear error", async () => {
    const output = await run("console.log('before');\nwhile (true) {}", { limits: { max_ticks: 10_000 } });
    expect(output).toMatchObject({ ok: false, logs: ["before"] });
    expect(output.error).toMatch(/^Execution stopped: the step budget of 10000 .* \(limits\.max_ticks\)/);
  });

  it("counts every step, though loops count theirs in batches: max_ticks steps end, one more fails", async () => {
    const code = "let n = 0;\nwhile (true) { if (++n === 2500) return n }";
    expect(resultOf(await run(code, { limits: { max_ticks: 2500 } }))).toBe(2500);
    expect((await run(code, { limits: { max_ticks: 2499 } })).error).toMatch(/^Execution stopped: the step budget of 2499 /);
  });

  it("still fails when the code catches the budget error and returns normally", async () => {
    const output = await run("let n = 0;\ntry { while (true) n++ } catch (e) {}\nreturn n", { limits: { max_ticks: 1_000 } });
    expect(output.ok).toBe(false);
    expect(output.error).toMatch(/^Execution stopped: the step budget/);
  });

  it("is stopped at the wall time when it waits forever, keeping its logs", async () => {
    const output = await run("console.log('waiting');\nawait new Promise(() => {});", { limits: { wall_ms: 50 } });
    expect(output).toMatchObject({
      ok: false,
      logs: ["waiting"],
      error: "Execution stopped: the wall time limit of 50 ms was exceeded (limits.wall_ms)",
    });
  });

  it("leaves no timers running once the run ends", async () => {
    const { caps, received } = fakeCaps();
    const output = await run("setInterval(() => sendEvent('tick', {}), 1);\nsetTimeout(() => sendEvent('late', {}), 5);\n'started'", { caps });
    expect(resultOf(output)).toBe("started");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(received).toEqual([]);
  });
});

describe("isolation", () => {
  it("keeps the entrypoint's env, ctx and this out of the code's reach", async () => {
    const output = await run("[typeof env, typeof ctx, typeof this, typeof CAPS, typeof globalThis.CAPS]");
    expect(resultOf(output)).toEqual(["undefined", "undefined", "undefined", "undefined", "undefined"]);
  });

  it("puts nothing internal on globalThis", async () => {
    const output = await run("Object.getOwnPropertyNames(globalThis).filter((n) => n.startsWith('__sy') || ['httpFetch', 'callTool', 'tools'].includes(n))");
    expect(resultOf(output)).toEqual([]);
  });

  it("names internals with a fresh random prefix for every module", () => {
    const build = () => buildSandboxModule({ code: "return 1", limits: DEFAULT_LIMITS, tools: [] }).source;
    const prefix = (source: string) => /const (__sy_[0-9a-f]{16}_)rt =/.exec(source)?.[1];
    const [a, b] = [prefix(build()), prefix(build())];
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });
});

describe("plain fetch", () => {
  let base = "";
  const server = createServer((req, res) => {
    if (req.url === "/refused") res.writeHead(403, { "x-switchyard-egress": "refused" });
    res.end(JSON.stringify({ path: req.url }));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("is recorded in calls and counted against max_calls", async () => {
    const output = await run(`const a = await (await fetch('${base}/ok')).json();\nconst b = await fetch('${base}/refused');\nawait fetch('${base}/third');\n[a, b.status]`, {
      limits: { max_calls: 2 },
    });
    expect(output.error).toBe("Error: fetch: more than 2 capability calls in one run (limits.max_calls)");
    expect(output.calls).toEqual([
      { name: "fetch", args: [`${base}/ok`, { method: "GET" }], ok: true, duration_ms: expect.any(Number) },
      { name: "fetch", args: [`${base}/refused`, { method: "GET" }], ok: false, error: "egress refused (HTTP 403)", duration_ms: expect.any(Number) },
    ]);
  });
});
