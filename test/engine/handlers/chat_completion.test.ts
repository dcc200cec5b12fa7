import { describe, expect, it } from "vitest";
import { chat_completion } from "../../../src/engine/handlers/chat_completion";
import type { Task } from "../../../src/engine/chain";
import type { ChatHistory } from "../../../src/engine/chat";
import { FakeLLM, FakeTools, USAGE, callTools, chainOf, contextFor, rejectionOf, say } from "../fakes";

const chat: Task = {
  id: "chat",
  handler: "chat_completion",
  execute_config: { max_tokens: 256, temperature: 0.2, top_p: 0.9, stop: ["END"] },
};

describe("chat_completion", () => {
  it("sends the system instruction and the prompt, and appends the reply to the conversation", async () => {
    const llm = new FakeLLM([say("Paris.")]);
    const result = await chat_completion(
      contextFor(chat, { input: "ignored", prompt: "Capital of France?", system: "Be brief.", model: "m1", provider: "p1", effects: { llm } }),
    );

    expect(llm.requests[0]).toEqual({
      model: "m1",
      provider: "p1",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Capital of France?" },
      ],
      max_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["END"],
    });
    expect(result.output).toEqual({
      kind: "chat",
      messages: [
        { role: "user", content: "Capital of France?" },
        { role: "assistant", content: "Paris." },
      ],
    });
    expect(result.eval).toBe("executed");
    expect(result.usage).toEqual(USAGE);
    expect(result.model).toBe("m1");
  });

  it("continues a chat history given as input, without repeating the system instruction in it", async () => {
    const llm = new FakeLLM([say("You're welcome.")]);
    const history: ChatHistory = {
      kind: "chat",
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "Thanks" },
      ],
    };
    const result = await chat_completion(contextFor(chat, { input: history, system: "Be kind.", effects: { llm } }));

    expect(llm.requests[0]?.messages).toEqual([{ role: "system", content: "Be kind." }, ...history.messages]);
    expect((result.output as ChatHistory).messages).toEqual([...history.messages, { role: "assistant", content: "You're welcome." }]);
  });

  it("sends the input as text when there is no prompt template", async () => {
    const llm = new FakeLLM([say("ok")]);
    await chat_completion(contextFor(chat, { input: { order: 42 }, effects: { llm } }));
    expect(llm.requests[0]?.messages).toEqual([{ role: "user", content: '{"order":42}' }]);
  });

  it('evaluates to "tool-call" when the reply calls tools, and offers exactly the granted tools', async () => {
    const llm = new FakeLLM([callTools(["weather", { city: "Oslo" }])]);
    const tools = new FakeTools({ weather: () => "sunny", search: () => [], admin: () => "root" });
    const task: Task = { ...chat, execute_config: { tools: ["*", "!admin"] } };
    const result = await chat_completion(contextFor(task, { prompt: "Weather in Oslo?", effects: { llm, tools } }));

    expect(result.eval).toBe("tool-call");
    expect(llm.requests[0]?.tools?.map((tool) => tool.name)).toEqual(["weather", "search"]);
  });

  it("offers no tools without a grant, and the client's tools only with pass_clients_tools", async () => {
    const clientTool = { name: "open_file", parameters: { type: "object" } };
    const tools = new FakeTools({ weather: () => "sunny" });

    const plain = new FakeLLM([say("a")]);
    await chat_completion(contextFor(chat, { prompt: "x", client_tools: [clientTool], effects: { llm: plain, tools } }));
    expect(plain.requests[0]?.tools).toBeUndefined();

    const passing = new FakeLLM([say("b")]);
    const task: Task = { ...chat, execute_config: { tools: ["weather"], pass_clients_tools: true } };
    await chat_completion(contextFor(task, { prompt: "x", client_tools: [clientTool], effects: { llm: passing, tools } }));
    expect(passing.requests[0]?.tools?.map((tool) => tool.name)).toEqual(["weather", "open_file"]);
  });

  it("fails before calling the model when the grant names tools that do not exist", async () => {
    const llm = new FakeLLM([say("never")]);
    const tools = new FakeTools({ weather: () => "sunny" });
    const task: Task = { ...chat, execute_config: { tools: ["weather", "stock_price", "translate"] } };
    const error = await rejectionOf(chat_completion(contextFor(task, { prompt: "x", effects: { llm, tools } })));

    expect(error.type).toBe("missing_tools");
    expect(error.message).toContain("stock_price, translate");
    expect(error.options.retryable).toBe(false);
    expect(llm.requests).toHaveLength(0);
  });

  it("drops the oldest turns to fit the chain's token limit, keeping the system instruction", async () => {
    const llm = new FakeLLM([say("done")]);
    const old = "x".repeat(400);
    const history: ChatHistory = {
      kind: "chat",
      messages: [
        { role: "user", content: old },
        { role: "assistant", content: old },
        { role: "user", content: "latest question" },
      ],
    };
    const ctx = contextFor(chat, { input: history, system: "sys", chain: chainOf([chat], { token_limit: 60 }), effects: { llm } });
    const result = await chat_completion(ctx);

    expect(llm.requests[0]?.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: "latest question" },
    ]);
    expect((result.output as ChatHistory).messages).toHaveLength(4);
  });

  it('fails instead of truncating when on_token_limit is "fail"', async () => {
    const llm = new FakeLLM([say("never")]);
    const task: Task = { ...chat, execute_config: { on_token_limit: "fail" } };
    const ctx = contextFor(task, { prompt: "y".repeat(1000), chain: chainOf([task], { token_limit: 50 }), effects: { llm } });
    const error = await rejectionOf(chat_completion(ctx));

    expect(error.type).toBe("token_limit_exceeded");
    expect(llm.requests).toHaveLength(0);
  });

  it("passes the step's abort signal to the model", async () => {
    const llm = new FakeLLM([say("ok")]);
    const signal = new AbortController().signal;
    await chat_completion(contextFor(chat, { prompt: "x", signal, effects: { llm } }));
    expect(llm.signals[0]).toBe(signal);
  });
});
