/**
 * The bundled chains do what their descriptions promise, run end to end with a scripted model.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseChainText } from "../../src/engine/parse";
import { runToEnd } from "../../src/engine/step";
import type { Chain } from "../../src/engine/chain";
import type { ChatHistory, ToolCall } from "../../src/engine/chat";
import { FakeLLM, FakeTools, callTools, fakeEffects, providerError, say, type Scripted } from "./fakes";

function bundled(id: string): Chain {
  const { chain, problems } = parseChainText(readFileSync(new URL(`../../chains/${id}.json`, import.meta.url), "utf8"));
  if (chain === undefined) throw new Error(`chains/${id}.json does not parse: ${JSON.stringify(problems)}`);
  return chain;
}

const ENV = { toolNames: ["search"], defaults: { model: "main-model", provider: "main-provider" } };

function search() {
  return new FakeTools({ search: (args) => `results for ${(args as { q: string }).q}` });
}

/** The text of the system message the model was sent. */
function systemOf(llm: FakeLLM, request: number): unknown {
  return llm.requests[request]?.messages.find((message) => message.role === "system")?.content;
}

function alwaysCallingTools(rounds: number): Scripted[] {
  return Array.from({ length: rounds }, (_, index) => callTools(["search", { q: `round ${index + 1}` }]));
}

describe("default-chain", () => {
  const chain = bundled("default-chain");

  it("loops chat → tools → chat and ends with the model's final answer", async () => {
    const llm = new FakeLLM([callTools(["search", { q: "Oslo weather" }]), say("It is sunny in Oslo.")]);
    const { state, steps } = await runToEnd(chain, { run_id: "r", input: "Weather in Oslo?" }, fakeEffects({ llm, tools: search() }), ENV);

    expect(steps.map((step) => step.task_id)).toEqual(["chat", "run_tools", "chat"]);
    expect(state.status).toBe("succeeded");
    const history = state.output as ChatHistory;
    expect(history.messages.at(-1)).toEqual({ role: "assistant", content: "It is sunny in Oslo." });
    expect(history.messages.find((message) => message.role === "tool")?.content).toBe("results for Oslo weather");
    expect(llm.requests[0]?.tools?.map((tool) => tool.name)).toEqual(["search"]);
    expect(llm.requests[0]?.model).toBe("main-model");
    expect(systemOf(llm, 0)).toContain("Today is 2024-01-02.");
  });

  it("makes the model answer without tools after 20 rounds of tool calls", async () => {
    const llm = new FakeLLM([...alwaysCallingTools(20), say("Here is what I found so far.")]);
    const { state } = await runToEnd(chain, { run_id: "r", input: "Research everything" }, fakeEffects({ llm, tools: search() }), ENV);

    expect(state.status).toBe("succeeded");
    expect(state.edge_counts["chat->run_tools"]).toBe(20);
    expect(llm.requests).toHaveLength(21);
    expect(llm.requests[20]?.tools).toBeUndefined();
    expect(systemOf(llm, 20)).toContain("You have used your whole budget of tool calls.");
    // Every tool call was answered before the wrap-up, as providers require.
    const history = state.output as ChatHistory;
    const calls = history.messages.flatMap((message) => message.tool_calls ?? []).map((call: ToolCall) => call.id);
    expect(history.messages.filter((message) => message.role === "tool")).toHaveLength(calls.length);
    expect(history.messages.at(-1)?.content).toBe("Here is what I found so far.");
  });
});

describe("self-paced-chain", () => {
  const chain = bundled("self-paced-chain");

  it("tells the model how many rounds it has used, and wraps up after its budget of 12", async () => {
    const llm = new FakeLLM([...alwaysCallingTools(12), say("Final summary.")]);
    const { state, steps } = await runToEnd(chain, { run_id: "r", input: "Dig deep" }, fakeEffects({ llm, tools: search() }), ENV);

    expect(systemOf(llm, 0)).toContain("have used 0 so far");
    expect(systemOf(llm, 5)).toContain("have used 5 so far");
    expect(systemOf(llm, 11)).toContain("have used 11 so far");
    expect(steps.at(-1)?.task_id).toBe("wrap_up");
    expect(llm.requests[12]?.tools).toBeUndefined();
    expect(systemOf(llm, 12)).toContain("budget of 12 rounds of tool calls is spent");
    expect(state).toMatchObject({ status: "succeeded", edge_counts: { "chat->run_tools": 12, "run_tools->wrap_up": 1 } });
    expect((state.output as ChatHistory).messages.at(-1)?.content).toBe("Final summary.");
  });

  it("ends early when the model answers within its budget", async () => {
    const llm = new FakeLLM([...alwaysCallingTools(2), say("Done early.")]);
    const { state, steps } = await runToEnd(chain, { run_id: "r", input: "Quick one" }, fakeEffects({ llm, tools: search() }), ENV);
    expect(steps.map((step) => step.task_id)).not.toContain("wrap_up");
    expect((state.output as ChatHistory).messages.at(-1)?.content).toBe("Done early.");
  });
});

describe("safe-chain", () => {
  const chain = bundled("safe-chain");

  it("answers normally when the model does", async () => {
    const llm = new FakeLLM([say("Hello!")]);
    const { state } = await runToEnd(chain, { run_id: "r", input: "Hi" }, fakeEffects({ llm }), ENV);
    expect(state.status).toBe("succeeded");
    expect((state.output as ChatHistory).messages.at(-1)?.content).toBe("Hello!");
  });

  it("retries transient failures twice, then fails the run with a message naming the cause", async () => {
    const llm = new FakeLLM([providerError(503), providerError(503), providerError(503)]);
    const { state, steps } = await runToEnd(chain, { run_id: "r", input: "Hi" }, fakeEffects({ llm }), ENV);

    expect(llm.requests).toHaveLength(3);
    expect(steps.map((step) => step.task_id)).toEqual(["chat", "chat", "chat", "fail"]);
    expect(state.status).toBe("failed");
    expect(state.error).toEqual({
      type: "raised",
      task_id: "fail",
      message:
        "safe-chain could not answer because the model call failed: provider answered HTTP 503. Try again later or run with another model.",
    });
  });

  it("does not retry a failure that would only repeat", async () => {
    const llm = new FakeLLM([providerError(400)]);
    const { state } = await runToEnd(chain, { run_id: "r", input: "Hi" }, fakeEffects({ llm }), ENV);
    expect(llm.requests).toHaveLength(1);
    expect(state.error?.message).toContain("the model call failed: provider answered HTTP 400");
  });
});

describe("resilient-chain", () => {
  const chain = bundled("resilient-chain");

  it("retries a 503 with exponential backoff, then switches to the fallback model", async () => {
    const llm = new FakeLLM([providerError(503), providerError(503), say("Recovered.")]);
    const { state, steps } = await runToEnd(
      chain,
      { run_id: "r", input: "Hi", vars: { fallback_model: "small-model" } },
      fakeEffects({ llm }),
      ENV,
      { random: () => 0.5 },
    );

    expect(llm.requests.map((request) => request.model)).toEqual(["main-model", "main-model", "small-model"]);
    expect(steps.map((step) => step.transition.retry)).toEqual([
      { delay_ms: 1000, attempt: 2 },
      { delay_ms: 2000, attempt: 3, model: "small-model" },
      undefined,
    ]);
    expect(state.status).toBe("succeeded");
    expect((state.output as ChatHistory).messages.at(-1)?.content).toBe("Recovered.");
  });

  it("keeps the main model without a fallback and gives up after 4 attempts", async () => {
    const llm = new FakeLLM([providerError(429), providerError(503), providerError(502), providerError(500)]);
    const { state } = await runToEnd(chain, { run_id: "r", input: "Hi" }, fakeEffects({ llm }), ENV, { random: () => 0.5 });

    expect(llm.requests.map((request) => request.model)).toEqual(["main-model", "main-model", "main-model", "main-model"]);
    expect(state).toMatchObject({ status: "failed", error: { type: "provider_error", message: "provider answered HTTP 500", task_id: "chat" } });
  });
});
