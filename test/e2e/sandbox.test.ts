/**
 * The sandbox in real Worker Loader isolates, through the real server: every global, every code
 * shape the normaliser accepts, every limit, the envelope on the step, and the two ways a chain
 * reaches the sandbox besides run_js — the `execute_js` tool a chat model calls and a `hook`
 * task that calls it with templated arguments. HTTP that must succeed goes to a mock service on
 * 127.0.0.1, through a server of this file's own whose EGRESS_ALLOW names that port.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, llm, runSteps, unique } from "./client";
import { startDevServer, type DevServer } from "./dev-server";
import { runJs } from "./sandbox-client";

describe("globals", () => {
  it("captures console output, with the level of each line", async () => {
    const { envelope } = await runJs(
      'console.log("plain", 1, { a: [1, 2] }); console.warn("careful"); console.error(new TypeError("bad")); console.info(null, undefined, 2n);',
    );
    expect(envelope.ok).toBe(true);
    expect(envelope.logs).toEqual(['plain 1 {"a":[1,2]}', "[warn] careful", "[error] TypeError: bad", "[info] null undefined 2n"]);
  });

  it("executeTask asks the configured LLM and records the call", async () => {
    const model = unique("sandbox-task");
    await llm().script(model, [{ content: "Paris" }]);
    const { envelope } = await runJs(`const r = await executeTask("Capital of France?", "${model}"); return r`);
    expect(envelope.result).toMatchObject({ success: true, response: "Paris", task_id: expect.any(String) });
    expect(envelope.calls).toEqual([{ name: "executeTask", args: ["Capital of France?", model], ok: true, result: envelope.result, duration_ms: expect.any(Number) }]);
    const [request] = await llm().requests(model);
    expect(request?.body.messages).toEqual([{ role: "user", content: "Capital of France?" }]);
  });

  it("executeTaskChain runs a registered chain to its end and returns its output and run id", async () => {
    const chainId = `sandbox-sub-${Date.now()}`;
    const created = await api().post("/chains", { id: chainId, description: "echo", tasks: [{ id: "echo", handler: "print", print: "{{.input}}" }] });
    expect(created.status).toBe(201);
    const { envelope } = await runJs(`return executeTaskChain("${chainId}", { city: "Oslo" })`);
    const result = envelope.result as { success: boolean; output: unknown; run_id: string };
    expect(result).toMatchObject({ success: true, output: { city: "Oslo" } });
    const sub = await api().get(`/runs/${result.run_id}`);
    expect(sub.body).toMatchObject({ chain_id: chainId, status: "succeeded", input: { city: "Oslo" } });

    const missing = await runJs('return executeTaskChain("no-such-chain", 1)');
    expect(missing.envelope.result).toMatchObject({ success: false, error: expect.stringContaining("no-such-chain") });
  });

  it("callTool reaches a granted tool and answers an ungranted one with an error value", async () => {
    const granted = await runJs('return callTool("execute_js", { code: "[1, 2, 3].map((n) => n * 2)" })', { tools: ["execute_js"] });
    expect(granted.envelope.result).toMatchObject({ ok: true, result: [2, 4, 6] });
    expect(granted.envelope.calls).toEqual([
      { name: "callTool", args: ["execute_js", { code: "[1, 2, 3].map((n) => n * 2)" }], ok: true, result: granted.envelope.result, duration_ms: expect.any(Number) },
    ]);

    const refused = await runJs('const r = await callTool("execute_js", { code: "1" }); return r', { tools: [] });
    expect(refused.envelope.ok).toBe(true);
    expect(refused.envelope.result).toEqual({ error: 'Tool "execute_js" is not granted to this code (granted: none).' });
    expect(refused.envelope.calls[0]).toMatchObject({ name: "callTool", ok: false, error: expect.stringContaining("not granted") });
  });

  it("tools.<name>() calls a tool granted by its service, and naming another tool is a clear error", async () => {
    const { envelope } = await runJs('return tools.execute_js({ code: "21 * 2" })', { tools: ["js_sandbox"] });
    expect(envelope.result).toMatchObject({ ok: true, result: 42 });

    const unknown = await runJs("return tools.send_mail({ to: 'x' })", { tools: ["js_sandbox"] });
    expect(unknown.envelope).toMatchObject({ ok: false, error: "TypeError: tools.send_mail is not a granted tool; available: tools.execute_js" });
  });

  it("sendEvent stores an event whose source is the run", async () => {
    const { run, envelope } = await runJs('return sendEvent("sandbox.tested", { n: 1 })');
    const result = envelope.result as { success: boolean; event_id: string };
    expect(result.success).toBe(true);
    const event = await api().get(`/events/${result.event_id}`);
    expect(event.status).toBe(200);
    expect(event.body).toMatchObject({ type: "sandbox.tested", data: { n: 1 }, metadata: { source_run_id: run.id } });
  });

  it("httpFetch answers a refused request with a value instead of throwing", async () => {
    const { envelope } = await runJs('const r = await httpFetch("http://127.0.0.1:1/x"); return r');
    expect(envelope.ok).toBe(true);
    expect(envelope.result).toMatchObject({ ok: false, status: 0, url: "http://127.0.0.1:1/x", error: expect.stringContaining("loopback") });
    expect(envelope.calls[0]).toMatchObject({ name: "httpFetch", ok: false, error: expect.stringContaining("egress refused") });
  });

  it("sees no bindings, secrets or runtime internals", async () => {
    const { envelope } = await runJs(`
      const names = Object.getOwnPropertyNames(globalThis);
      return {
        env: typeof env, ctx: typeof ctx, self: this === undefined,
        bindings: names.filter((n) => /CAPS|LOADER|DB|CHAIN_RUN|EVENTS|KEY|SECRET|LLM|__sy_/i.test(n)),
      };`);
    expect(envelope.result).toEqual({ env: "undefined", ctx: "undefined", self: true, bindings: [] });
  });
});

describe("code shapes", () => {
  it.each([
    ["a body with return", "const x = 20;\nreturn x + 1;", 21],
    ["a last expression", "const x = 20;\nx + 2", 22],
    ["a module with a default export", "export default async function main() {\n  return 23;\n}", 23],
    ["a default-exported value", "const answer = { n: 24 };\nexport default answer;", { n: 24 }],
    ["a lone main function", "function helper() { return 5; }\nasync function main() { return helper() * 5; }", 25],
    ["an arrow function expression", "async () => 26", 26],
    ["fenced code with prose around it", "Here is the program:\n```javascript\nconst n = 27;\nn\n```\nIt returns 27.", 27],
    ["a JSON wrapper", JSON.stringify({ code: "```js\nreturn 28\n```" }), 28],
  ])("runs %s", async (_shape, code, expected) => {
    const { envelope } = await runJs(code);
    expect(envelope).toMatchObject({ ok: true, result: expected });
  });

  it("adds the awaits the model forgot, and shows the code that ran", async () => {
    const model = unique("sandbox-await");
    await llm().script(model, [{ content: "first" }, { content: "second" }], { repeat: true });
    const { envelope } = await runJs(`const a = executeTask("one", "${model}");\nconst parts = [a.response, executeTask("two", "${model}").response];\nparts.join(" + ")`);
    expect(envelope).toMatchObject({ ok: true, result: "first + second" });
    expect(envelope.code).toBe(
      `const a = (await executeTask("one", "${model}"));\nconst parts = [a.response, (await executeTask("two", "${model}")).response];\nreturn parts.join(" + ")`,
    );
  });

  it("resolves a result that is a list of un-awaited calls", async () => {
    const model = unique("sandbox-map");
    await llm().script(model, [{ content: "ok" }], { repeat: true });
    const { envelope } = await runJs(`["a", "b"].map((q) => executeTask(q, "${model}").then((r) => q + ":" + r.response))`);
    expect(envelope).toMatchObject({ ok: true, result: ["a:ok", "b:ok"] });
  });

  it("reports a syntax error with its position and an import as unavailable, running nothing", async () => {
    const syntax = await runJs("const x = ;");
    expect(syntax.envelope).toMatchObject({ ok: false, result: null, code: "const x = ;" });
    expect(syntax.envelope.error).toMatch(/^SyntaxError at 1:11: /);

    const imported = await runJs('import fs from "node:fs";\nfs.readFileSync("/etc/passwd")');
    expect(imported.envelope.ok).toBe(false);
    expect(imported.envelope.error).toMatch(/^An import at 1:1 is not available in the sandbox/);
  });
});

describe("limits", () => {
  it("max_ticks stops a loop that never ends", async () => {
    const { envelope } = await runJs("let n = 0;\nwhile (true) { n++; }", { limits: { max_ticks: 100_000 } });
    expect(envelope).toMatchObject({ ok: false, result: null });
    expect(envelope.error).toContain("step budget of 100000");
    expect(envelope.error).toContain("limits.max_ticks");
  });

  it("wall_ms stops a program that waits too long", async () => {
    const { envelope } = await runJs("await new Promise((resolve) => setTimeout(resolve, 60_000)); return 'late'", { limits: { wall_ms: 500 } });
    expect(envelope).toMatchObject({ ok: false, error: "Execution stopped: the wall time limit of 500 ms was exceeded (limits.wall_ms)" });
  });

  it("max_calls refuses the call past the limit", async () => {
    const { envelope } = await runJs('for (let i = 0; i < 5; i++) await sendEvent("sandbox.count", { i });', { limits: { max_calls: 3 } });
    expect(envelope).toMatchObject({ ok: false, error: "Error: sendEvent: more than 3 capability calls in one run (limits.max_calls)" });
    expect(envelope.calls).toHaveLength(3);
  });

  it("max_arg_bytes refuses oversized arguments before they leave the isolate", async () => {
    const { envelope } = await runJs('return sendEvent("sandbox.big", { blob: "x".repeat(5000) })', { limits: { max_arg_bytes: 1000 } });
    expect(envelope.ok).toBe(false);
    expect(envelope.error).toMatch(/^TypeError: sendEvent: arguments are \d+ bytes, over limits.max_arg_bytes \(1000\)$/);
    expect(envelope.calls).toEqual([]);
  });

  it("max_result_bytes refuses a result that is too large", async () => {
    const { envelope } = await runJs('"x".repeat(2000)', { limits: { max_result_bytes: 1000 } });
    expect(envelope).toMatchObject({ ok: false, result: null, error: "the result is 2002 bytes, over limits.max_result_bytes (1000)" });
  });

  it("max_log_bytes cuts the logs off with a marker", async () => {
    const { envelope } = await runJs('for (let i = 0; i < 100; i++) console.log("line " + i + " " + "-".repeat(40)); return "done"', {
      limits: { max_log_bytes: 500 },
    });
    expect(envelope.ok).toBe(true);
    expect(envelope.logs.at(-1)).toBe("[… logs truncated: more than 500 bytes (limits.max_log_bytes)]");
    expect(envelope.logs.slice(0, -1).join("\n").length).toBeLessThanOrEqual(500);
    expect(envelope.logs[0]).toBe(`line 0 ${"-".repeat(40)}`);
  });

  it("a limit out of range fails the step with the field named, before any code runs", async () => {
    // cpu_ms is handed to the platform (local workerd does not enforce it); its value is still checked.
    const { run, envelope } = await runJs("1", { limits: { cpu_ms: 0 } });
    expect(run.status).toBe("succeeded");
    expect(envelope).toMatchObject({ ok: false, error: "execute_config.limits.cpu_ms must be a whole number from 1 to 300000 (got 0)", duration_ms: 0 });
    const unknown = await runJs("1", { limits: { memory: 5 } });
    expect(unknown.envelope.error).toMatch(/^execute_config.limits.memory is not a sandbox limit \(known: wall_ms, cpu_ms, /);
  });
});

describe("the envelope", () => {
  it("is the run_js step's output, recorded on the step, with its eval", async () => {
    const chain = {
      id: "sandbox-envelope",
      tasks: [
        { id: "js", handler: "run_js", transition: { branches: [{ operator: "default", when: "", goto: "show" }] } },
        { id: "show", handler: "print", print: "{{.js.result.total}} from {{.js.logs}}" },
      ],
    };
    const res = await api().post("/runs?wait=true", { chain, input: { code: 'console.log("summing"); return { total: 1 + 2 }' } });
    expect(res.body.status).toBe("succeeded");
    const steps = await runSteps(api(), res.body.id);
    expect(steps[0]).toMatchObject({ task_id: "js", handler: "run_js", eval: "ok", input: { code: 'console.log("summing"); return { total: 1 + 2 }' } });
    expect(Object.keys(steps[0].output).sort()).toEqual(["calls", "code", "duration_ms", "logs", "ok", "result"]);
    expect(steps[0].output).toMatchObject({ ok: true, result: { total: 3 }, logs: ["summing"], calls: [], code: 'console.log("summing"); return { total: 1 + 2 }' });
    expect(steps[0].output.duration_ms).toBeGreaterThanOrEqual(0);
    expect(steps[1].eval).toBe('3 from ["summing"]');

    const failed = await runJs("throw new RangeError('out of range')");
    expect(Object.keys(failed.envelope).sort()).toEqual(["calls", "code", "duration_ms", "error", "logs", "ok", "result"]);
    const failedSteps = await runSteps(api(), failed.run.id);
    expect(failedSteps[0].eval).toBe("error");
  });
});

describe("the js_sandbox tool", () => {
  it("lets a chat model run a program and answer from its result", async () => {
    const model = unique("sandbox-chat-tool");
    await llm().script(model, [
      { tool_calls: [{ id: "call_js", name: "execute_js", arguments: { code: "const xs = [3, 4, 5];\nxs.reduce((a, b) => a + b, 0)" } }] },
      { content: "The sum is 12." },
    ]);
    const chain = {
      id: "sandbox-chat-tool",
      tasks: [
        {
          id: "chat",
          handler: "chat_completion",
          execute_config: { model, tools: ["execute_js"] },
          transition: { branches: [{ operator: "equals", when: "tool-call", goto: "run_tools" }, { operator: "default", when: "", goto: "end" }] },
        },
        { id: "run_tools", handler: "execute_tool_calls", input_var: "chat", transition: { branches: [{ operator: "default", when: "", goto: "chat" }] } },
      ],
    };
    const res = await api().post("/runs?wait=true", { chain, input: "Add 3, 4 and 5 with code." });
    expect(res.body.status).toBe("succeeded");
    const [first, second] = await llm().requests(model);
    expect((first?.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual(["execute_js"]);
    const toolMessage = (second?.body.messages as Array<{ role: string; tool_call_id?: string; content: string }>).find((m) => m.role === "tool");
    expect(toolMessage?.tool_call_id).toBe("call_js");
    expect(JSON.parse(toolMessage!.content)).toMatchObject({ ok: true, result: 12, logs: [], calls: [] });
  });

  it("runs from a hook task whose arguments are rendered from an earlier task's output", async () => {
    const model = unique("sandbox-hook");
    await llm().script(model, [{ content: "```js\nconsole.log('from the hook');\nreturn 'hooked ' + (6 * 7);\n```" }]);
    const chain = {
      id: "sandbox-hook",
      tasks: [
        { id: "generate_js", handler: "prompt_to_js", execute_config: { model }, transition: { branches: [{ operator: "default", when: "", goto: "run" }] } },
        // The Contenox spelling: a task's `tools` is its hook.
        { id: "run", handler: "hook", tools: { name: "js_sandbox", tool_name: "execute_js", args: { code: "{{.generate_js.code}}" } } },
      ],
    };
    const res = await api().post("/runs?wait=true", { chain, input: "Say hooked 42." });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.output).toMatchObject({ ok: true, result: "hooked 42", logs: ["from the hook"] });
    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((s: { task_id: string; eval: string }) => [s.task_id, s.eval])).toEqual([
      ["generate_js", "ok"],
      ["run", "ok"],
    ]);

    const failing = { ...chain, id: "sandbox-hook-fail", tasks: [{ ...chain.tasks[1], tools: { ...chain.tasks[1]!.tools, args: { code: "{{.input}}" } } }] };
    const failed = await api().post("/runs?wait=true", { chain: failing, input: "throw 'nope'" });
    const failedSteps = await runSteps(api(), failed.body.id);
    expect(failedSteps[0]).toMatchObject({ eval: "error", output: { ok: false, error: "nope" } });
  });
});

describe("HTTP to an allowed host", () => {
  let tools: ToolService;
  let server: DevServer;

  beforeAll(async () => {
    tools = await startToolService({ records: 10 });
    server = await startDevServer({
      vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: "k", LLM_MODEL: "mock-model", EGRESS_ALLOW: `127.0.0.1:${tools.port}` },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await tools?.close();
  });

  it("httpFetch and fetch reach it through the gate, and every request is recorded", async () => {
    const client = api(server.url);
    const code = `
      const weather = await httpFetch("${tools.url}/weather?city=Oslo");
      const note = await httpFetch("${tools.url}/notes", { method: "POST", body: { title: "from the sandbox" } });
      const plain = await fetch("${tools.url}/records/2");
      return { weather: JSON.parse(weather.body), status: note.status, note: JSON.parse(note.body), record: (await plain.json()).id };`;
    const { envelope } = await runJs(code, {}, client);
    expect(envelope.ok).toBe(true);
    expect(envelope.result).toMatchObject({ weather: { city: "Oslo" }, status: 201, note: { title: "from the sandbox" }, record: 2 });
    expect(envelope.calls.map((c: any) => [c.name, c.ok])).toEqual([
      ["httpFetch", true],
      ["httpFetch", true],
      ["fetch", true],
    ]);
    const posted = tools.calls.find((c) => c.method === "POST" && c.path === "/notes");
    expect(posted?.body).toEqual({ title: "from the sandbox" });
    expect(posted?.headers["content-type"]).toBe("application/json");
  });

  it("max_response_bytes cuts a large body off and says so", async () => {
    const { envelope } = await runJs(`const r = await httpFetch("${tools.url}/big"); return { truncated: r.truncated, length: r.body.length, tail: r.body.slice(-60) }`, {
      limits: { max_response_bytes: 1000 },
    }, api(server.url));
    expect(envelope.result).toEqual({
      truncated: true,
      length: 1000 + "\n[… truncated: the response exceeded 1000 bytes]".length,
      tail: expect.stringContaining("[… truncated: the response exceeded 1000 bytes]"),
    });
  });

  it("a chain's egress_allow narrows what the operator allows", async () => {
    const { envelope } = await runJs(`return httpFetch("${tools.url}/weather?city=Oslo")`, { egress_allow: ["api.example.com"] }, api(server.url));
    expect(envelope.result).toMatchObject({ ok: false, error: "egress refused: 127.0.0.1 is not in this chain's egress allow-list (execute_config.egress_allow)" });
    expect(tools.calls.filter((c) => c.query.city === "Oslo")).toHaveLength(1);
  });
});
