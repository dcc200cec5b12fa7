import { describe, expect, it } from "vitest";
import { capResult, execute_tool_calls } from "../../../src/engine/handlers/execute_tool_calls";
import type { Task } from "../../../src/engine/chain";
import type { ChatHistory, ChatMessage } from "../../../src/engine/chat";
import { FakeTools, callTools, contextFor, rejectionOf } from "../fakes";

const task: Task = { id: "run_tools", handler: "execute_tool_calls", input_var: "chat" };

function historyWith(reply: ChatMessage): ChatHistory {
  return { kind: "chat", messages: [{ role: "user", content: "go" }, reply] };
}

function toolMessages(output: unknown): ChatMessage[] {
  return (output as ChatHistory).messages.filter((message) => message.role === "tool");
}

describe("execute_tool_calls", () => {
  it("runs every call in order and appends one tool message per call", async () => {
    const tools = new FakeTools({
      weather: (args) => ({ city: (args as { city: string }).city, sky: "clear" }),
      time: () => "12:00",
    });
    const input = historyWith(callTools(["weather", { city: "Oslo" }], ["time", {}]));
    const result = await execute_tool_calls(contextFor(task, { input, effects: { tools }, state: { run_id: "r9", step_count: 4 } }));

    expect(tools.calls.map((call) => [call.name, call.args])).toEqual([
      ["weather", { city: "Oslo" }],
      ["time", {}],
    ]);
    expect(toolMessages(result.output)).toEqual([
      { role: "tool", tool_call_id: "call_1", name: "weather", content: '{"city":"Oslo","sky":"clear"}' },
      { role: "tool", tool_call_id: "call_2", name: "time", content: "12:00" },
    ]);
    expect((result.output as ChatHistory).messages.slice(0, 2)).toEqual(input.messages);
    expect(result.eval).toBe("executed");
  });

  it("gives each call an idempotency key that is stable for the step and distinct per call", async () => {
    const tools = new FakeTools({ a: () => 1, b: () => 2 });
    const input = historyWith(callTools(["a", {}], ["b", {}]));
    await execute_tool_calls(contextFor(task, { input, effects: { tools }, state: { run_id: "r9", step_count: 4 } }));

    expect(tools.calls.map((call) => call.ctx)).toMatchObject([
      { runId: "r9", taskId: "run_tools", idempotencyKey: "r9:4:call_1" },
      { runId: "r9", taskId: "run_tools", idempotencyKey: "r9:4:call_2" },
    ]);
  });

  it("reports a throwing tool, bad JSON arguments and an unknown tool back to the model instead of failing", async () => {
    const tools = new FakeTools({
      flaky: () => {
        throw new Error("connection reset");
      },
      fine: () => "ok",
    });
    const input = historyWith(callTools(["flaky", {}], ["fine", "{not json"], ["nonexistent", {}]));
    const result = await execute_tool_calls(contextFor(task, { input, effects: { tools } }));

    const contents = toolMessages(result.output).map((message) => message.content);
    expect(contents[0]).toBe('error: tool "flaky" failed: connection reset');
    expect(contents[1]).toContain('the arguments for tool "fine" are not valid JSON');
    expect(contents[2]).toBe('error: tool "nonexistent" is not available to this task');
    expect(tools.calls.map((call) => call.name)).toEqual(["flaky"]);
  });

  it("refuses tools outside the task's own grant", async () => {
    const tools = new FakeTools({ read: () => "data", delete_all: () => "gone" });
    const input = historyWith(callTools(["delete_all", {}]));
    const restricted: Task = { ...task, execute_config: { tools: ["read"] } };
    const result = await execute_tool_calls(contextFor(restricted, { input, effects: { tools } }));

    expect(toolMessages(result.output)[0]?.content).toBe('error: tool "delete_all" is not available to this task');
    expect(tools.calls).toHaveLength(0);
  });

  it("fails clearly when the input is not a chat whose last answer calls tools", async () => {
    const notChat = await rejectionOf(execute_tool_calls(contextFor(task, { input: "hello" })));
    expect(notChat.type).toBe("validation");
    expect(notChat.message).toContain("needs a chat history whose last assistant message calls tools");

    const noCalls = await rejectionOf(execute_tool_calls(contextFor(task, { input: historyWith({ role: "assistant", content: "done" }) })));
    expect(noCalls.type).toBe("validation");
  });

  it("checks the arguments against the tool's schema and tells the model what to fix, without calling", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
    const tools = new FakeTools({ weather: () => "sunny" }, { weather: schema });
    const input = historyWith(callTools(["weather", { town: "Oslo" }], ["weather", { city: "Oslo" }]));
    const result = await execute_tool_calls(contextFor(task, { input, effects: { tools } }));

    const contents = toolMessages(result.output).map((message) => message.content);
    expect(contents[0]).toBe('error: the arguments for tool "weather" do not fit its schema: city: is required; town: is not a known argument (known: city). Correct them and call the tool again.');
    expect(contents[1]).toBe("sunny");
    expect(tools.calls.map((call) => call.args)).toEqual([{ city: "Oslo" }]);
  });

  it("passes a tool's own { error } result on as JSON, like any result", async () => {
    const tools = new FakeTools({ send: () => ({ error: "mailbox full", retry_after: 60 }) });
    const result = await execute_tool_calls(contextFor(task, { input: historyWith(callTools(["send", {}])), effects: { tools } }));
    expect(toolMessages(result.output)[0]?.content).toBe('{"error":"mailbox full","retry_after":60}');
  });

  it("replaces a result over execute_config.max_result_bytes by a marker with its size and a preview", async () => {
    const tools = new FakeTools({ big: () => "x".repeat(5000), small: () => "fits" });
    const input = historyWith(callTools(["big", {}], ["small", {}]));
    const capped: Task = { ...task, execute_config: { max_result_bytes: 1000 } };
    const result = await execute_tool_calls(contextFor(capped, { input, effects: { tools } }));

    const [big, small] = toolMessages(result.output).map((message) => message.content as string);
    const marker = JSON.parse(big!);
    expect(marker).toMatchObject({ truncated: true, original_bytes: 5000, max_bytes: 1000 });
    expect(marker.message).toContain('The result of tool "big" was 5000 bytes, over the 1000-byte limit');
    expect(marker.preview).toBe("x".repeat(1000));
    expect(small).toBe("fits");
  });
});

describe("capResult", () => {
  it("keeps content within the limit as it is and cuts the preview on a character boundary", () => {
    expect(capResult("t", "short", 10)).toBe("short");
    expect(JSON.parse(capResult("t", "é".repeat(10), 5)).preview).toBe("éé");
  });
});
