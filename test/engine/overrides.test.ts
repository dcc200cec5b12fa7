import { describe, expect, it } from "vitest";
import { chat_completion } from "../../src/engine/handlers/chat_completion";
import { applyOverrides, overrideVars, readOverrides } from "../../src/engine/overrides";
import type { Task } from "../../src/engine/chain";
import { FakeLLM, FakeTools, contextFor, say } from "./fakes";

const chat: Task = { id: "chat", handler: "chat_completion", execute_config: { max_tokens: 500, temperature: 0.2 } };

describe("request overrides", () => {
  it("round-trip through run vars under the request. prefix", () => {
    const overrides = { max_tokens: 64, temperature: 0.7, top_p: 0.5, stop: ["END", "\n\n"], tool_choice: { type: "function", function: { name: "f" } } };
    const vars = overrideVars(overrides);
    expect(vars).toEqual({
      "request.max_tokens": "64",
      "request.temperature": "0.7",
      "request.top_p": "0.5",
      "request.stop": '["END","\\n\\n"]',
      "request.tool_choice": '{"type":"function","function":{"name":"f"}}',
    });
    expect(readOverrides({ ...vars, model: "m" })).toEqual(overrides);
  });

  it("ignores vars that do not parse", () => {
    expect(readOverrides({ "request.max_tokens": "lots", "request.temperature": "", "request.stop": "[1]", "request.tool_choice": "{" })).toEqual({});
  });

  it("lets the caller lower the chain's max_tokens but not raise it", () => {
    const request = { messages: [], max_tokens: 500 };
    expect(applyOverrides(request, { max_tokens: 100 }, false).max_tokens).toBe(100);
    expect(applyOverrides(request, { max_tokens: 4000 }, false).max_tokens).toBe(500);
    expect(applyOverrides({ messages: [] }, { max_tokens: 4000 }, false).max_tokens).toBe(4000);
  });

  it("applies tool_choice only where the client's tools are offered", () => {
    expect(applyOverrides({ messages: [] }, { tool_choice: "required" }, false).tool_choice).toBeUndefined();
    expect(applyOverrides({ messages: [] }, { tool_choice: "required" }, true).tool_choice).toBe("required");
  });

  it("reach every chat_completion request of the run, over the task's own settings", async () => {
    const llm = new FakeLLM([say("ok")]);
    const vars = overrideVars({ max_tokens: 50, temperature: 1.1, top_p: 0.3, stop: ["STOP"] });
    await chat_completion(contextFor(chat, { prompt: "x", effects: { llm }, state: { vars } }));
    expect(llm.requests[0]).toMatchObject({ max_tokens: 50, temperature: 1.1, top_p: 0.3, stop: ["STOP"] });
  });

  it("send tool_choice with the client's tools when the task passes them", async () => {
    const clientTool = { name: "open_file", parameters: { type: "object" } };
    const vars = overrideVars({ tool_choice: "required" });
    const passing = new FakeLLM([say("ok")]);
    const task: Task = { ...chat, execute_config: { pass_clients_tools: true } };
    await chat_completion(contextFor(task, { prompt: "x", client_tools: [clientTool], effects: { llm: passing, tools: new FakeTools() }, state: { vars } }));
    expect(passing.requests[0]).toMatchObject({ tool_choice: "required", tools: [clientTool] });

    const closed = new FakeLLM([say("ok")]);
    await chat_completion(contextFor(chat, { prompt: "x", client_tools: [clientTool], effects: { llm: closed }, state: { vars } }));
    expect(closed.requests[0]?.tool_choice).toBeUndefined();
    expect(closed.requests[0]?.tools).toBeUndefined();
  });
});
