import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../src/engine/effects";
import { EngineError } from "../../src/engine/errors";
import { chatWith } from "../../src/llm/client";
import type { AiBinding, Provider } from "../../src/llm/provider";
import { configuredBaseUrl, withWorkersAi, workersAiLLM } from "../../src/llm/workers-ai";

const MODEL = "@cf/meta/llama-3.1-8b-instruct";

/** A fake `AI` binding that records each call and answers with what the test gives it. */
function fakeAi(answer: (inputs: Record<string, unknown>) => unknown) {
  const calls: Array<{ model: string; inputs: Record<string, unknown>; signal?: AbortSignal }> = [];
  const ai: AiBinding = {
    async run(model, inputs, options) {
      calls.push({ model, inputs, signal: options?.signal });
      return answer(inputs);
    },
  };
  return { ai, calls };
}

/** An SSE body as the binding streams it, cut into pieces that do not respect line ends. */
function sse(payloads: unknown[], pieceChars = 7): ReadableStream<Uint8Array> {
  const text = [...payloads.map((p) => `data: ${JSON.stringify(p)}\n\n`), "data: [DONE]\n\n"].join("");
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < text.length; at += pieceChars) controller.enqueue(encoder.encode(text.slice(at, at + pieceChars)));
      controller.close();
    },
  });
}

function failing(error: Error) {
  return fakeAi(() => {
    throw error;
  });
}

const ask = (request: Partial<ChatRequest> = {}): ChatRequest => ({ model: MODEL, messages: [{ role: "user", content: "Capital of France?" }], ...request });

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof EngineError)) throw new Error(`expected an EngineError, got ${String(error)}`);
  return error;
}

describe("workersAiLLM", () => {
  it("answers from the binding's { response, usage } and sends the request in the binding's shape", async () => {
    const { ai, calls } = fakeAi(() => ({ response: "Paris.", usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } }));
    const response = await workersAiLLM(ai).chat(
      ask({
        messages: [
          { role: "user", content: [{ type: "text", text: "Weather " }, { type: "text", text: "in Paris?" }] },
          { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
          { role: "tool", tool_call_id: "call_1", content: "sunny" },
        ],
        tools: [{ name: "get_weather", parameters: { type: "object" } }],
        max_tokens: 50,
        temperature: 0.2,
        user: "u-1",
      }),
    );

    expect(response).toEqual({ message: { role: "assistant", content: "Paris." }, model: MODEL, finish_reason: "stop", usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.model).toBe(MODEL);
    expect(calls[0]!.inputs).toEqual({
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: "", tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
      max_tokens: 50,
      temperature: 0.2,
    });
  });

  it("turns the binding's flat tool calls, arguments as objects, into OpenAI tool calls", async () => {
    const { ai } = fakeAi(() => ({ response: null, tool_calls: [{ name: "get_weather", arguments: { city: "Paris" } }, { name: "get_time", arguments: {} }] }));
    const response = await workersAiLLM(ai).chat(ask({ tools: [{ name: "get_weather", parameters: {} }] }));
    expect(response.message.content).toBeNull();
    expect(response.message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_\w+$/), type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: expect.stringMatching(/^call_\w+$/), type: "function", function: { name: "get_time", arguments: "{}" } },
    ]);
    expect(response.message.tool_calls![0]!.id).not.toBe(response.message.tool_calls![1]!.id);
    expect(response.finish_reason).toBe("tool_calls");
  });

  it("reads models that answer in OpenAI's choices shape, keeping their finish reason", async () => {
    const { ai } = fakeAi(() => ({ choices: [{ message: { content: "The answer is" }, finish_reason: "length" }], usage: { prompt_tokens: 5, completion_tokens: 3 } }));
    const response = await workersAiLLM(ai).chat(ask());
    expect(response).toMatchObject({ message: { content: "The answer is" }, finish_reason: "length", usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
  });

  it("streams the binding's SSE response pieces to the delta listener, with the usage of the last frame", async () => {
    const { ai, calls } = fakeAi(() => sse([{ response: "Par" }, { response: "is" }, { response: "." }, { response: "", usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } }]));
    const deltas: string[] = [];
    const response = await workersAiLLM(ai).chat(ask(), undefined, (d) => deltas.push(d));
    expect(calls[0]!.inputs.stream).toBe(true);
    expect(deltas).toEqual(["Par", "is", "."]);
    expect(response).toEqual({ message: { role: "assistant", content: "Paris." }, model: MODEL, finish_reason: "stop", usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } });
  });

  it("assembles tool calls streamed in pieces, skipping the empty piece that closes them", async () => {
    const { ai } = fakeAi(() =>
      sse([
        { response: "", tool_calls: [{ index: 0, id: "chatcmpl-tool-1", type: "function", function: { name: "get_weather" } }] },
        { response: "", tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
        { response: "", tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
        { response: "", tool_calls: [{ id: null, type: null, function: { name: null, arguments: "" } }] },
        { response: "", usage: { prompt_tokens: 30, completion_tokens: 8, total_tokens: 38 } },
      ]),
    );
    const deltas: string[] = [];
    const response = await workersAiLLM(ai).chat(ask(), undefined, (d) => deltas.push(d));
    expect(deltas).toEqual([]);
    expect(response.message).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "chatcmpl-tool-1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
    });
    expect(response.finish_reason).toBe("tool_calls");
  });

  it("hands a whole answer to the listener at once when the binding does not stream", async () => {
    const { ai } = fakeAi(() => ({ response: "all at once" }));
    const deltas: string[] = [];
    await workersAiLLM(ai).chat(ask(), undefined, (d) => deltas.push(d));
    expect(deltas).toEqual(["all at once"]);
  });

  it("maps Workers AI error codes onto retryable and final errors", async () => {
    const capacity = await rejection(workersAiLLM(failing(new Error("3040: Capacity temporarily exceeded, please try again.")).ai).chat(ask()));
    expect(capacity).toMatchObject({ type: "rate_limited", options: { retryable: true, status: 429 } });
    expect(capacity.message).toContain("3040: Capacity temporarily exceeded");

    const upstream = Object.assign(new Error("upstream connect error or disconnect/reset before headers"), { name: "InferenceUpstreamError" });
    expect(await rejection(workersAiLLM(failing(upstream).ai).chat(ask()))).toMatchObject({ type: "provider_error", options: { retryable: true, status: 502 } });

    const noModel = await rejection(workersAiLLM(failing(new Error("AiError: 5007: No such model @cf/nope or task")).ai).chat(ask()));
    expect(noModel).toMatchObject({ type: "provider_rejected", options: { retryable: false, status: 400 } });

    const blocked = await rejection(workersAiLLM(failing(new Error("3023: Service unavailable for account")).ai).chat(ask()));
    expect(blocked).toMatchObject({ type: "provider_auth", options: { retryable: false, status: 403 } });
  });

  it("reports a cancelled call as cancelled, not as a provider failure", async () => {
    const stop = new AbortController();
    stop.abort();
    const { ai } = fakeAi(() => {
      throw Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
    });
    expect(await rejection(workersAiLLM(ai).chat(ask(), stop.signal))).toMatchObject({ type: "cancelled", options: { retryable: false } });
  });

  it("fails for good, saying how to add the binding, when the Worker has none", async () => {
    const error = await rejection(workersAiLLM(undefined, "workers-ai").chat(ask()));
    expect(error).toMatchObject({ type: "workers_ai_unbound", options: { retryable: false } });
    expect(error.message).toContain('[ai] binding = "AI"');
  });
});

describe("Workers AI as a provider", () => {
  const configured: Provider = { name: "workers-ai", type: "workers-ai", baseUrl: "workers-ai", defaultModel: MODEL };
  const hello = { model: MODEL, messages: [{ role: "user" as const, content: "hello" }] };

  it("needs no base URL when LLM_PROVIDER is workers-ai", () => {
    expect(configuredBaseUrl({ provider: "workers-ai" })).toBe("workers-ai");
    expect(configuredBaseUrl({ provider: "workers-ai", baseUrl: "https://gateway.example/v1" })).toBe("https://gateway.example/v1");
    expect(configuredBaseUrl({ provider: "default" })).toBeUndefined();
  });

  it("serves a provider whose base URL is workers-ai through the AI binding it is handed", async () => {
    const { ai, calls } = fakeAi(() => sse([{ response: "hi" }]));
    const provider = (await withWorkersAi(async () => configured, ai)("workers-ai"))!;
    const deltas: string[] = [];
    const response = await chatWith(provider, hello, undefined, (d) => deltas.push(d));
    expect(response.message.content).toBe("hi");
    expect(deltas).toEqual(["hi"]);
    expect(calls.map((c) => c.model)).toEqual([MODEL]);
  });

  it("asks for the whole reply when the model is declared without streaming", async () => {
    const { ai, calls } = fakeAi(() => ({ response: "whole" }));
    const provider = { ...configured, ai, models: [{ id: MODEL, capabilities: ["chat" as const] }] };
    const deltas: string[] = [];
    await chatWith(provider, hello, undefined, (d) => deltas.push(d));
    expect(calls[0]!.inputs.stream).toBeUndefined();
    expect(deltas).toEqual(["whole"]);
  });

  it("fails for good when the Worker has no AI binding", async () => {
    const provider = (await withWorkersAi(async () => configured, undefined)("workers-ai"))!;
    expect(await rejection(chatWith(provider, hello))).toMatchObject({ type: "workers_ai_unbound", options: { retryable: false } });
  });
});
