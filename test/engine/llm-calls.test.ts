import { describe, expect, it } from "vitest";
import { boundLlmCall, recordLlmCalls, type LlmCall } from "../../src/engine/llm-calls";
import { EngineError } from "../../src/engine/errors";
import { executeStep, initialState } from "../../src/engine/step";
import { isTruncated } from "../../src/engine/truncate";
import { FakeLLM, FakeTools, NOW, callTools, chainOf, fakeEffects, rejectionOf, say } from "./fakes";

const clock = { now: () => NOW };

describe("recording a step's LLM calls", () => {
  it("records the rendered system prompt, the tools offered, the sampling settings and the reply", async () => {
    const chain = chainOf([
      {
        id: "chat",
        handler: "chat_completion",
        system_instruction: "Rounds used: {{edge_count:chat->tools}}. Today is {{now:2006-01-02}}.",
        execute_config: { model: "small", provider: "local", tools: ["lookup"], temperature: 0.2, max_tokens: 64 },
      },
    ]);
    const llm = new FakeLLM([callTools(["lookup", { q: "oslo" }])]);
    const calls: LlmCall[] = [];
    const effects = fakeEffects({ tools: new FakeTools({ lookup: () => "found" }) });
    const state = { ...initialState(chain, { run_id: "r", input: "Weather?" }), edge_counts: { "chat->tools": 3 } };
    await executeStep(chain, state, { ...effects, llm: recordLlmCalls(llm, calls, clock) }, { now: NOW, toolNames: [], defaults: {} });

    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.request).toEqual({
      messages: [
        { role: "system", content: "Rounds used: 3. Today is 2024-01-02." },
        { role: "user", content: "Weather?" },
      ],
      tools: [{ name: "lookup", description: "the lookup tool", parameters: { type: "object" } }],
      max_tokens: 64,
      temperature: 0.2,
      model: "small",
      provider: "local",
    });
    expect(call!.reply).toEqual({
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"oslo"}' } }],
      finish_reason: "tool_calls",
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
    expect(call).toMatchObject({ model: "small", started_at: NOW, duration_ms: 0 });
  });

  it("names the provider and model that answered, not the ones asked for", async () => {
    const calls: LlmCall[] = [];
    const llm = recordLlmCalls({ chat: async () => ({ message: say("hi"), model: "big-2", provider: "pool-b" }) }, calls, clock);
    await llm.chat({ model: "group:fast", provider: "pool", messages: [{ role: "user", content: "hi" }] });
    expect(calls[0]).toMatchObject({ provider: "pool-b", model: "big-2", request: { model: "group:fast", provider: "pool" } });
  });

  it("records a failed call with its error and the provider and model it tried", async () => {
    const calls: LlmCall[] = [];
    const failing = { chat: async () => Promise.reject(new EngineError("provider_auth", "bad key", { retryable: false, llm: { provider: "default", model: "m-1" } })) };
    const error = await rejectionOf(recordLlmCalls(failing, calls, clock).chat({ messages: [{ role: "user", content: "hi" }] }));
    expect(error.type).toBe("provider_auth");
    expect(calls[0]).toMatchObject({ provider: "default", model: "m-1", error: { type: "provider_auth", message: "bad key", retryable: false } });
    expect(calls[0]!.reply).toBeUndefined();
  });
});

describe("bounding a recorded LLM call", () => {
  const call = (contents: string[], reply = "ok"): LlmCall => ({
    provider: "p",
    model: "m",
    request: { messages: contents.map((content, i) => ({ role: i === 0 ? "system" : "user", content })) },
    reply: { content: reply },
    started_at: 0,
    duration_ms: 0,
  });

  it("keeps a call that fits as it is", () => {
    const small = call(["system", "question"]);
    expect(boundLlmCall(small, 10_000)).toEqual(small);
  });

  it("replaces the largest contents first until the messages fit, keeping the small ones whole", () => {
    const bounded = boundLlmCall(call(["be brief", "a".repeat(6_000), "b".repeat(3_000), "question"]), 5_000);
    const contents = bounded.request.messages.map((m) => m.content);
    expect(contents[0]).toBe("be brief");
    expect(contents[1]).toMatchObject({ truncated: true, original_bytes: 6_000, preview: "a".repeat(78) });
    expect(contents[2]).toBe("b".repeat(3_000));
    expect(contents[3]).toBe("question");
    expect(JSON.stringify(bounded.request.messages).length).toBeLessThanOrEqual(5_000);
  });

  it("replaces a reply over the limit by a marker", () => {
    const bounded = boundLlmCall(call(["q"], "z".repeat(2_000)), 1_000);
    expect(isTruncated(bounded.reply!.content)).toBe(true);
  });
});
