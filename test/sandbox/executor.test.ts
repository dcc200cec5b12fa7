import { describe, expect, it } from "vitest";
import { prepareCode, runSandbox, SANDBOX_COMPATIBILITY_DATE } from "../../src/sandbox/executor";
import type { SandboxDeps, WorkerLoaderLike } from "../../src/sandbox/executor";
import { DEFAULT_LIMITS } from "../../src/sandbox/limits";
import type { SandboxLimits } from "../../src/sandbox/limits";
import { nodeLoader } from "./node-isolate";

const caps = {
  callTool: async (name: string, args: unknown) => ({ name, args }),
};
const gate = { fetch: async () => new Response("gate") };

function deps(loader: WorkerLoaderLike): SandboxDeps {
  return { loader, capabilities: caps, gate };
}
const limits = (overrides: Partial<SandboxLimits> = {}): SandboxLimits => ({ ...DEFAULT_LIMITS, ...overrides });

describe("runSandbox", () => {
  it("runs fenced code with a missing await and returns the envelope", async () => {
    const { loader } = nodeLoader();
    const envelope = await runSandbox(
      deps(loader),
      "```js\nconsole.log('searching');\nconst r = callTool('search', { q: 'x' });\nr\n```",
      { limits: limits() },
    );
    expect(envelope).toEqual({
      ok: true,
      result: { name: "search", args: { q: "x" } },
      logs: ["searching"],
      calls: [{ name: "callTool", args: ["search", { q: "x" }], ok: true, result: { name: "search", args: { q: "x" } }, duration_ms: expect.any(Number) }],
      code: "console.log('searching');\nconst r = (await callTool('search', { q: 'x' }));\nreturn r",
      duration_ms: expect.any(Number),
    });
  });

  it("gives the loader the isolate's code, the capability stub as its only binding and the gate as its network", async () => {
    const { loader, loaded } = nodeLoader();
    await runSandbox(deps(loader), "1", { limits: limits({ cpu_ms: 1234 }), tools: ["a__b"] });
    expect(loaded).toHaveLength(1);
    const { code } = loaded[0]!;
    expect(code).toMatchObject({
      compatibilityDate: SANDBOX_COMPATIBILITY_DATE,
      mainModule: "sandbox.js",
      env: { CAPS: caps },
      globalOutbound: gate,
      limits: { cpuMs: 1234 },
    });
    expect(Object.keys(code.env)).toEqual(["CAPS"]);
    expect(code.modules["sandbox.js"]).toContain('"tools":["a__b"]');
  });

  it("calls the entry function with the given arguments, in either loader mode", async () => {
    for (const kind of ["load", "get"] as const) {
      const { loader } = nodeLoader(kind);
      const envelope = await runSandbox(deps(loader), "export default async (event, extra) => ({ type: event.type, extra })", {
        limits: limits(),
        args: [{ type: "order.placed" }, 2],
      });
      expect(envelope).toMatchObject({ ok: true, result: { type: "order.placed", extra: 2 } });
    }
  });

  it("runs code prepared once, as stored code is, without preparing it again", async () => {
    const { loader, loaded } = nodeLoader();
    const prepared = prepareCode("export default (event) => event.n * 2", { args: [{ n: 0 }] });
    expect(prepared.ok).toBe(true);
    const results = [];
    for (const n of [1, 2]) results.push((await runSandbox(deps(loader), prepared, { limits: limits(), args: [{ n }] })).result);
    expect(results).toEqual([2, 4]);
    expect(loaded).toHaveLength(2);
    expect(prepareCode("export default (event) =>", { args: [] })).toMatchObject({ ok: false, error: expect.stringContaining("SyntaxError") });
  });

  it("falls back to get() with an id that is never reused", async () => {
    const { loader, loaded } = nodeLoader("get");
    const first = await runSandbox(deps(loader), "'one'", { limits: limits() });
    const second = await runSandbox(deps(loader), "'two'", { limits: limits() });
    expect([first.result, second.result]).toEqual(["one", "two"]);
    expect(loaded[0]!.id).toMatch(/^sandbox-/);
    expect(loaded[0]!.id).not.toBe(loaded[1]!.id);
  });

  it("reports a syntax error with its position and the code as unwrapped", async () => {
    const { loader, loaded } = nodeLoader();
    const envelope = await runSandbox(deps(loader), '{"code": "const x = ;"}', { limits: limits() });
    expect(envelope).toMatchObject({ ok: false, result: null, error: "SyntaxError at 1:11: Unexpected token", code: "const x = ;", logs: [], calls: [] });
    expect(loaded).toEqual([]);
  });

  it("refuses a result over limits.max_result_bytes, keeping logs and calls", async () => {
    const { loader } = nodeLoader();
    const envelope = await runSandbox(deps(loader), "console.log('big');\n'x'.repeat(2000)", { limits: limits({ max_result_bytes: 1000 }) });
    expect(envelope).toMatchObject({ ok: false, result: null, error: "the result is 2002 bytes, over limits.max_result_bytes (1000)", logs: ["big"] });
  });

  it("passes the isolate's own error through with its logs", async () => {
    const { loader } = nodeLoader();
    const envelope = await runSandbox(deps(loader), "console.log('a');\nthrow new Error('nope')", { limits: limits() });
    expect(envelope).toMatchObject({ ok: false, error: "Error: nope", logs: ["a"] });
  });

  it("shortens a huge error message to its first 4096 characters and its length", async () => {
    const { loader } = nodeLoader();
    const envelope = await runSandbox(deps(loader), "throw new Error('x'.repeat(100000))", { limits: limits() });
    expect(envelope.error).toBe(`Error: ${"x".repeat(4089)}… (100007 characters)`);
  });

  it("ends with a timeout error when the isolate never answers", async () => {
    const loader: WorkerLoaderLike = { load: () => ({ getEntrypoint: () => ({ run: () => new Promise(() => {}) }) }) };
    const envelope = await runSandbox(deps(loader), "1", { limits: limits({ wall_ms: 20 }) });
    expect(envelope).toMatchObject({
      ok: false,
      error: "Execution stopped: no result within the wall time limit of 20 ms (limits.wall_ms)",
    });
  });

  it("ends with a cancellation error when the signal aborts", async () => {
    const loader: WorkerLoaderLike = { load: () => ({ getEntrypoint: () => ({ run: () => new Promise(() => {}) }) }) };
    const controller = new AbortController();
    const pending = runSandbox(deps(loader), "1", { limits: limits(), signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: "Execution cancelled" });
  });

  it("reports a loader failure as an error envelope", async () => {
    const loader: WorkerLoaderLike = {
      load: () => {
        throw new Error("isolate limit reached");
      },
    };
    expect(await runSandbox(deps(loader), "1", { limits: limits() })).toMatchObject({ ok: false, error: "isolate limit reached" });
    expect(await runSandbox(deps({}), "1", { limits: limits() })).toMatchObject({
      ok: false,
      error: "the LOADER binding has neither load() nor get()",
    });
  });

  it("does not trust a malformed answer from the isolate", async () => {
    const loader: WorkerLoaderLike = { load: () => ({ getEntrypoint: () => ({ run: async () => ({ result: 1 }) }) }) };
    expect(await runSandbox(deps(loader), "1", { limits: limits() })).toMatchObject({
      ok: false,
      error: "the sandbox isolate returned an unexpected value",
    });
  });
});
