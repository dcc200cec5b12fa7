/**
 * The bundled `code-mode` chain end to end, with the scripted mock LLM as the model and the
 * mock OpenAPI service registered as a tool: the model is shown the granted tools as a typed
 * API, its program runs in a sandboxed isolate, a failing program is sent back with its error
 * and repaired, and the program's answer field is the run's output. `tool-loop` does the same
 * job the classic way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startToolService, type ToolService } from "../mocks/tool-service";
import { api, llm, runSteps, unique } from "./client";

const svc = `weather${Math.random().toString(36).slice(2, 8)}`;
let service: ToolService;
/** What the mock service says about Oslo (it is deterministic), and the answer built from it. */
let oslo: { city: string; temperature_c: number; conditions: string };
let expected: string;

const WORKING = (service: string) =>
  [
    `const weather = await tools.${service}.get_weather({ city: "Oslo" });`,
    'if (weather.error) throw new Error(weather.error);',
    'console.log("fetched", weather.city);',
    "return { answer: `${weather.city}: ${weather.conditions}, ${weather.temperature_c} °C`, source: weather };",
  ].join("\n");

beforeAll(async () => {
  service = await startToolService({ records: 10 });
  const registered = await api().post("/tools", { name: svc, type: "openapi", url: service.url });
  expect(registered.status).toBe(201);
  oslo = (await (await fetch(`${service.url}/weather?city=Oslo`)).json()) as typeof oslo;
  expected = `Oslo: ${oslo.conditions}, ${oslo.temperature_c} °C`;
});

afterAll(async () => {
  await api().delete(`/tools/${svc}`);
  await service?.close();
});

describe("code-mode", () => {
  it("plays a believable code-mode conversation against the unscripted mock (the README example)", async () => {
    const res = await api().post("/runs?wait=true", { chain_id: "code-mode", input: "What is the weather in Oslo and in Bergen?", vars: { model: unique("unscripted") } });
    expect(res.body.status).toBe("succeeded");
    const bergen = (await (await fetch(`${service.url}/weather?city=Bergen`)).json()) as typeof oslo;
    expect(res.body.output).toContain(`Oslo: temperature c ${oslo.temperature_c}, conditions ${oslo.conditions}`);
    expect(res.body.output).toContain(`Bergen: temperature c ${bergen.temperature_c}, conditions ${bergen.conditions}`);
    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((s) => s.task_id)).toEqual(["generate_js", "run_js", "eval_js_result", "answer"]);
    expect(steps[1]!.output.calls).toHaveLength(2);
  });

  it("answers with the program's answer field when the first program works", async () => {
    const model = unique("code-mode-ok");
    await llm().script(model, [{ content: "```js\n" + WORKING(svc) + "\n```" }]);
    const res = await api().post("/runs?wait=true", { chain_id: "code-mode", input: "What is the weather in Oslo?", vars: { model } });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.output).toBe(expected);

    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((s) => [s.task_id, s.eval])).toEqual([
      ["generate_js", "ok"],
      ["run_js", "ok"],
      ["eval_js_result", "true"],
      ["answer", expect.any(String)],
    ]);
    expect(steps[3]!.output).toBe(expected);
    const envelope = steps[1]!.output;
    expect(envelope).toMatchObject({ ok: true, result: { answer: expected, source: oslo }, logs: ["fetched Oslo"] });
    expect(envelope.calls).toEqual([{ name: "callTool", args: [`${svc}__get_weather`, { city: "Oslo" }], ok: true, result: oslo, duration_ms: expect.any(Number) }]);
    expect(service.calls.some((c) => c.path === "/weather" && c.query.city === "Oslo")).toBe(true);
  });

  it("shows the model the granted tools as a typed API, without the built-ins the program has as globals", async () => {
    const model = unique("code-mode-api");
    await llm().script(model, [{ content: WORKING(svc) }]);
    await api().post("/runs?wait=true", { chain_id: "code-mode", input: "Weather in Oslo?", vars: { model } });
    const [request] = await llm().requests(model);
    const messages = request!.body.messages as Array<{ role: string; content: string }>;
    const system = messages.find((m) => m.role === "system")!.content;
    expect(system).not.toContain("{{tools:typescript}}");
    expect(system).toContain("declare function httpFetch(url: string");
    expect(system).toContain("declare function executeTask(prompt: string");
    expect(system).toContain(`  ${svc}: {\n`);
    expect(system).toMatch(/\/\*\* Current weather for a city \(deterministic\) \*\/\n\s+get_weather\(args: \{\n\s+city: string;\n\s+\}\): Promise<unknown>;/);
    expect(system).toContain(`"${svc}__get_weather"`);
    expect(system).not.toContain("execute_js");
    expect(system).not.toContain("http_fetch");
    expect(messages.find((m) => m.role === "user")!.content).toBe("Weather in Oslo?");
  });

  it("sends a failing program back with its error, and answers from the repaired one", async () => {
    const model = unique("code-mode-repair");
    const broken = `const weather = await tools.${svc}.get_weather({ city: "Oslo" });\nreturn { answer: weather.forecast.today };`;
    await llm().script(model, [{ content: broken }, { content: "```javascript\n" + WORKING(svc) + "\n```" }]);
    const res = await api().post("/runs?wait=true", { chain_id: "code-mode", input: "What is the weather in Oslo?", vars: { model } });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.output).toBe(expected);

    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((s) => [s.task_id, s.eval])).toEqual([
      ["generate_js", "ok"],
      ["run_js", "error"],
      ["eval_js_result", "false"],
      ["repair_js", "ok"],
      ["run_js", "ok"],
      ["eval_js_result", "true"],
      ["answer", expect.any(String)],
    ]);
    const failure = "TypeError: Cannot read properties of undefined (reading 'today')";
    expect(steps[1]!.output).toMatchObject({ ok: false, error: failure, code: broken });
    expect(steps[4]!.output).toMatchObject({ ok: true, result: { answer: expected } });

    const [, repairRequest] = await llm().requests(model);
    const prompt = (repairRequest!.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === "user")!.content;
    expect(prompt).toContain("What is the weather in Oslo?");
    expect(prompt).toContain(`\`\`\`js\n${broken}\n\`\`\``);
    expect(prompt).toContain(`Error: ${failure}`);
  });

  it("fails the run with the last error once two repairs have not helped", async () => {
    const model = unique("code-mode-give-up");
    await llm().script(model, [{ content: "throw new Error('attempt 1')" }, { content: "throw new Error('attempt 2')" }, { content: "throw new Error('attempt 3')" }]);
    const res = await api().post("/runs?wait=true", { chain_id: "code-mode", input: "Impossible task", vars: { model } });
    expect(res.body.status).toBe("failed");
    expect(res.body.error).toMatchObject({ type: "raised", message: "The program still failed after two repairs: Error: attempt 3" });
    expect(await llm().requests(model)).toHaveLength(3);
    const steps = await runSteps(api(), res.body.id);
    expect(steps.filter((s) => s.task_id === "run_js").map((s) => s.output.error)).toEqual(["Error: attempt 1", "Error: attempt 2", "Error: attempt 3"]);
  });
});

describe("tool-loop", () => {
  it("does the same job with one LLM round trip per round of tool calls", async () => {
    const model = unique("tool-loop");
    await llm().script(model, [
      { tool_calls: [{ id: "call_w", name: `${svc}__get_weather`, arguments: { city: "Oslo" } }] },
      { content: expected },
    ]);
    const res = await api().post("/runs?wait=true", { chain_id: "tool-loop", input: "What is the weather in Oslo?", vars: { model } });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.output).toBe(expected);
    const steps = await runSteps(api(), res.body.id);
    expect(steps.map((s) => s.task_id)).toEqual(["chat", "run_tools", "chat", "answer"]);

    const [first, second] = await llm().requests(model);
    const offered = (first!.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);
    expect(offered).toContain(`${svc}__get_weather`);
    expect(offered).not.toContain("execute_js");
    expect(offered).not.toContain("http_fetch");
    const toolMessage = (second!.body.messages as Array<{ role: string; content: string }>).find((m) => m.role === "tool");
    expect(JSON.parse(toolMessage!.content)).toEqual(oslo);
  });
});
