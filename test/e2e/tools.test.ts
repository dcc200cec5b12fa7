/**
 * OpenAPI tool services over HTTP: registering the mock service (real HTTP on loopback, its
 * own openapi.json), refreshing it, refusing broken specs, and using its operations from
 * `default-chain` (the model's tool calls) and from `code-mode` (programs calling
 * `tools.<service>.<operation>()`), within each task's grant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRecords, GOLD_PREDICATE } from "../mocks/tool-records";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, llm, runSteps, unique } from "./client";

const RECORDS = 60;
const svc = `mock${Math.random().toString(36).slice(2, 8)}`;
const tool = (operation: string) => `${svc}__${operation}`;
let service: ToolService;

beforeAll(async () => {
  service = await startToolService({ records: RECORDS });
  const registered = await api().post("/tools", { name: svc, type: "openapi", url: service.url });
  expect(registered.status).toBe(201);
});

afterAll(async () => {
  await api().delete(`/tools/${svc}`);
  await service?.close();
});

/** The chat → tools loop with its own grant, so tests say exactly what the model is offered. */
function toolLoop(grant: string[], extra: Record<string, unknown> = {}) {
  return {
    id: "tool-loop-test",
    tasks: [
      {
        id: "chat",
        handler: "chat_completion",
        execute_config: { model: "{{var:model}}", tools: grant },
        transition: { branches: [{ operator: "equals", when: "tool-call", goto: "run_tools" }, { operator: "default", when: "", goto: "end" }] },
      },
      { id: "run_tools", handler: "execute_tool_calls", input_var: "chat", execute_config: extra, transition: { branches: [{ operator: "default", when: "", goto: "chat" }] } },
    ],
  };
}

function toolMessages(run: { output: { messages: Array<{ role: string; content: string }> } }): string[] {
  return run.output.messages.filter((m) => m.role === "tool").map((m) => m.content);
}

describe("POST /tools (OpenAPI)", () => {
  it("registers every operation under a provider-safe name and lists it", async () => {
    const { body } = await api().get(`/tools/${svc}`);
    expect(body).toMatchObject({ name: svc, type: "openapi", url: service.url, spec_url: null, requires_approval: false });
    expect(body.tools.map((t: { name: string }) => t.name)).toEqual(
      ["listRecords", "getRecord", "createNote", "get_weather", "getBig", "slow_get", "failWithStatus"].map(tool),
    );
    expect(body.tools.find((t: { name: string }) => t.name === tool("getRecord"))).toMatchObject({
      operation: "getRecord",
      method: "GET",
      path: "/records/{id}",
      parameters: { type: "object", properties: { id: { type: "integer", minimum: 1 } }, required: ["id"] },
    });
    const listed = await api().get("/tools");
    expect(listed.body.data.map((s: { name: string }) => s.name)).toContain(svc);
  });

  it("reads YAML and 3.0 documents through spec_url, and re-registering refreshes the operations", async () => {
    const name = `${svc}-yaml`;
    const yaml = await api().post("/tools", { name, type: "openapi", url: service.url, spec_url: `${service.url}/openapi.yaml` });
    expect(yaml.status).toBe(201);
    expect(yaml.body.tools).toHaveLength(7);
    const refreshed = await api().post("/tools", { name, type: "openapi", url: service.url, spec_url: `${service.url}/v3.0/openapi.json`, requires_approval: ["createNote"] });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ spec_url: `${service.url}/v3.0/openapi.json`, created_at: yaml.body.created_at });
    expect(refreshed.body.tools.filter((t: { requires_approval: boolean }) => t.requires_approval).map((t: { operation: string }) => t.operation)).toEqual(["createNote"]);
    expect((await api().delete(`/tools/${name}`)).status).toBe(204);
    expect((await api().get(`/tools/${name}`)).status).toBe(404);
  });

  it("answers 400 with the reason for a spec it cannot fetch or read, and keeps what was registered", async () => {
    const before = (await api().get(`/tools/${svc}`)).body;
    const missing = await api().post("/tools", { name: svc, type: "openapi", url: service.url, spec_url: `${service.url}/nope.json` });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: "invalid_tool_service", path: "spec_url", message: `Could not fetch the OpenAPI document at ${service.url}/nope.json: HTTP 404 Not Found` });
    const notSpec = await api().post("/tools", { name: `${svc}-bad`, type: "openapi", url: service.url, spec_url: `${service.url}/weather?city=Oslo` });
    expect(notSpec.status).toBe(400);
    expect(notSpec.body.error.message).toMatch(/not an OpenAPI 3\.0 or 3\.1 document/);
    expect((await api().get(`/tools/${svc}`)).body).toEqual(before);
    expect((await api().get(`/tools/${svc}-bad`)).status).toBe(404);
  });

  it("refuses bad documents with the path of the field", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: "has__double", type: "openapi", url: service.url }, "name"],
      [{ name: "workspace", type: "openapi", url: service.url }, "name"],
      [{ name: "ok", type: "soap", url: service.url }, "type"],
      [{ name: "ok", type: "openapi", url: "ftp://x" }, "url"],
      [{ name: "ok", type: "mcp", url: service.url, inject: { query: { a: "b" } } }, "inject"],
      [{ name: "ok", type: "openapi", url: service.url, headers: { "X-Key": 5 } }, "headers.X-Key"],
    ];
    for (const [body, path] of cases) {
      const res = await api().post("/tools", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.path).toBe(path);
    }
  });
});

describe("registered tools in chains", () => {
  it("runs the model's tool calls through default-chain and hands the results back", async () => {
    const s = unique("weather");
    await llm().script(s, [{ tool_calls: [{ id: "call_w", name: tool("get_weather"), arguments: { city: "Oslo" } }] }, { content: "It is fine in Oslo." }]);
    const run = await api().post("/runs?wait=true", { chain_id: "default-chain", input: "Weather in Oslo?", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    const [weather] = toolMessages(run.body);
    expect(JSON.parse(weather!)).toMatchObject({ city: "Oslo", temperature_c: expect.any(Number), conditions: expect.any(String) });
    const [first] = await llm().requests(s);
    const offered = (first!.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);
    expect(offered).toEqual(expect.arrayContaining([tool("get_weather"), tool("listRecords"), "execute_js", "http_fetch", "workspace__read"]));
    for (const name of offered) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(service.calls.some((c) => c.path === "/weather" && c.query.city === "Oslo")).toBe(true);
  });

  it("offers exactly what the grant names: tools, whole services, exclusions, or nothing", async () => {
    const offeredFor = async (grant: string[]) => {
      const s = unique("grant");
      await llm().script(s, [{ content: "ok" }]);
      const run = await api().post("/runs?wait=true", { chain: toolLoop(grant), input: "hi", vars: { model: s } });
      expect(run.body.status).toBe("succeeded");
      const [request] = await llm().requests(s);
      return ((request!.body.tools as Array<{ function: { name: string } }> | undefined) ?? []).map((t) => t.function.name);
    };
    expect(await offeredFor([tool("getRecord"), "http_fetch"])).toEqual(["http_fetch", tool("getRecord")]);
    expect(await offeredFor([svc, `!${tool("getBig")}`, `!${tool("slow_get")}`])).toEqual(["listRecords", "getRecord", "createNote", "get_weather", "failWithStatus"].map(tool));
    expect(await offeredFor(["*", `!${svc}`])).not.toContain(tool("listRecords"));
    expect(await offeredFor([])).toEqual([]);
  });

  it("expands {{toolservice:list}} to the registered tool names", async () => {
    const chain = { id: "list-tools", tasks: [{ id: "say", handler: "print", print: "tools: {{toolservice:list}}", transition: { branches: [{ operator: "default", when: "", goto: "end" }] } }] };
    const run = await api().post("/runs?wait=true", { chain, input: "x" });
    const [step] = await runSteps(api(), run.body.id);
    expect(step.eval).toMatch(/^tools: /);
    expect(step.eval.split(", ")).toEqual(expect.arrayContaining([tool("listRecords"), tool("get_weather"), "workspace__grep"]));
  });

  it("fails a run whose grant names a tool nobody registered, with the name", async () => {
    const s = unique("ghost");
    await llm().script(s, [{ content: "never asked" }]);
    const run = await api().post("/runs?wait=true", { chain: toolLoop([tool("listRecords"), "ghost_tool"]), input: "hi", vars: { model: s } });
    expect(run.body.status).toBe("failed");
    expect(run.body.error).toMatchObject({ type: "missing_tools", task_id: "chat" });
    expect(run.body.error.message).toContain("ghost_tool");
    expect(await llm().requests(s)).toHaveLength(0);
  });

  it("tells the model what is wrong with its arguments, and lets it correct itself", async () => {
    const s = unique("args");
    await llm().script(s, [
      { tool_calls: [{ id: "call_bad", name: tool("getRecord"), arguments: { id: "seven" } }] },
      { tool_calls: [{ id: "call_good", name: tool("getRecord"), arguments: { id: 7 } }] },
      { content: "Record 7 found." },
    ]);
    const before = service.calls.filter((c) => c.path.startsWith("/records/")).length;
    const run = await api().post("/runs?wait=true", { chain: toolLoop([svc]), input: "Get record 7", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    const [bad, good] = toolMessages(run.body);
    expect(bad).toBe(`error: the arguments for tool "${tool("getRecord")}" do not fit its schema: id: must be an integer, got the string "seven". Correct them and call the tool again.`);
    expect(JSON.parse(good!)).toMatchObject({ id: 7 });
    expect(service.calls.filter((c) => c.path.startsWith("/records/")).length).toBe(before + 1);
  });

  it("replaces an oversized result by a truncation marker", async () => {
    const s = unique("big");
    await llm().script(s, [{ tool_calls: [{ id: "call_big", name: tool("getBig"), arguments: {} }] }, { content: "Too big." }]);
    const run = await api().post("/runs?wait=true", { chain: toolLoop([svc], { max_result_bytes: 4096 }), input: "big", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    const marker = JSON.parse(toolMessages(run.body)[0]!);
    expect(marker).toMatchObject({ truncated: true, original_bytes: 2 * 1024 * 1024, max_bytes: 4096 });
    const [, second] = await llm().requests(s);
    expect(JSON.stringify(second!.body).length).toBeLessThan(16 * 1024);
  });

  it("carries results larger than a storage row through the run's durable state", async () => {
    const s = unique("huge");
    await llm().script(s, [{ tool_calls: [{ id: "call_huge", name: tool("getBig"), arguments: {} }] }, { content: "Got it all." }]);
    const run = await api().post("/runs?wait=true", { chain: toolLoop([svc], { max_result_bytes: 3 * 1024 * 1024 }), input: "all of it", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    expect(toolMessages(run.body)[0]).toHaveLength(2 * 1024 * 1024);
    const [, second] = await llm().requests(s);
    expect(JSON.stringify(second!.body).length).toBeGreaterThan(2 * 1024 * 1024);
  });

  it("keeps scratch files in the run's workspace", async () => {
    const s = unique("workspace");
    await llm().script(s, [
      { tool_calls: [{ id: "w1", name: "workspace__write", arguments: { path: "notes/todo.md", content: "buy milk\ncall Bob" } }] },
      { tool_calls: [{ id: "w2", name: "workspace__grep", arguments: { pattern: "Bob" } }, { id: "w3", name: "workspace__list", arguments: {} }] },
      { content: "done" },
    ]);
    const run = await api().post("/runs?wait=true", { chain: toolLoop(["workspace"]), input: "remember", vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    const [written, grep, list] = toolMessages(run.body).map((m) => JSON.parse(m));
    expect(written).toEqual({ path: "notes/todo.md", bytes: 17 });
    expect(grep).toEqual({ matches: [{ path: "notes/todo.md", line: 2, text: "call Bob" }] });
    expect(list.files).toEqual([{ path: "notes/todo.md", bytes: 17, updated_at: expect.any(Number) }]);

    const other = unique("workspace-other");
    await llm().script(other, [{ tool_calls: [{ id: "r1", name: "workspace__list", arguments: {} }] }, { content: "empty" }]);
    const second = await api().post("/runs?wait=true", { chain: toolLoop(["workspace"]), input: "look", vars: { model: other } });
    expect(JSON.parse(toolMessages(second.body)[0]!)).toEqual({ files: [] });
  });

  it("lets code-mode programs call the granted operations as tools.<service>.<operation>()", async () => {
    const s = unique("code");
    const program = [
      "const found = [];",
      "let offset = 0;",
      "for (;;) {",
      `  const page = await tools.${svc}.listRecords({ offset, limit: 25 });`,
      '  for (const r of page.items) if (r.category === "gold" && r.score > 95) found.push(r.id);',
      "  if (page.next_offset === null) break;",
      "  offset = page.next_offset;",
      "}",
      `const denied = await callTool("http_fetch", { url: "http://example.com" });`,
      "return { answer: found.join(\",\"), denied };",
    ].join("\n");
    await llm().script(s, [{ content: program }]);
    const run = await api().post("/runs?wait=true", { chain_id: "code-mode", input: `Find the records where ${GOLD_PREDICATE}.`, vars: { model: s } });
    expect(run.body.status).toBe("succeeded");
    const gold = buildRecords(RECORDS).filter((r) => r.category === "gold" && r.score > 95);
    expect(gold).toHaveLength(3);
    expect(run.body.output).toBe(gold.map((r) => r.id).join(","));

    const [prompt] = await llm().requests(s);
    expect(JSON.stringify(prompt!.body.messages)).toContain(`listRecords(args`);
    const envelope = (await runSteps(api(), run.body.id)).find((step: { task_id: string }) => step.task_id === "run_js").output;
    expect(envelope.result.denied.error).toMatch(/not granted/);
    expect(envelope.calls.filter((c: { name: string }) => c.name === "callTool")).toHaveLength(4);
  });
});
