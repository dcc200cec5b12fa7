/**
 * The OpenAI-compatible endpoint driven by the official `openai` SDK against a real
 * `wrangler dev`, with the scripted mock LLM as the provider behind the chains.
 */
import OpenAI, { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { api, llm, unique, waitForRun } from "./client";

const RUN_ID = "x-switchyard-run-id";

/** The APIError a call rejects with; fails the test when it resolves or rejects otherwise. */
async function failure(call: Promise<unknown>): Promise<APIError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof APIError)) throw new Error(`expected an OpenAI APIError, got ${String(error)}`);
  return error;
}

function openai(path = "/v1", apiKey = api().apiKey) {
  return new OpenAI({ baseURL: `${api().baseUrl}${path}`, apiKey, maxRetries: 0 });
}

/** Registers a one-task chat chain answering with the mock scenario `model`; returns its id. */
async function chatChain(model: string, execute: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<string> {
  const id = `oa-${model}`;
  const chain = { id, tasks: [{ id: "chat", handler: "chat_completion", system_instruction: "Be brief.", execute_config: { model, ...execute }, ...extra }] };
  const res = await api().post("/chains", chain);
  expect(res.status).toBe(201);
  return id;
}

const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

describe("POST /v1/chat/completions", () => {
  it("runs the chain named by model and answers with a chat.completion, usage and the run id", async () => {
    const s = unique("plain");
    await llm().script(s, [{ content: "Hello there.", usage: { prompt_tokens: 7, completion_tokens: 3 } }]);
    const chain = await chatChain(s);
    const { data, response } = await openai()
      .chat.completions.create({ model: chain, messages: [{ role: "user", content: "Hi" }] })
      .withResponse();

    expect(data).toMatchObject({
      object: "chat.completion",
      model: chain,
      choices: [{ index: 0, message: { role: "assistant", content: "Hello there." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
    const runId = response.headers.get(RUN_ID)!;
    expect(data.id).toBe(`chatcmpl-${runId}`);
    const run = await api().get(`/runs/${runId}`);
    expect(run.body).toMatchObject({ chain_id: chain, status: "succeeded", usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
    const [sent] = await llm().requests(s);
    expect(sent!.body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ]);
  });

  it("continues a whole conversation, with content parts and developer messages", async () => {
    const s = unique("conversation");
    await llm().script(s, [{ content: "Green." }]);
    const chain = await chatChain(s);
    const completion = await openai().chat.completions.create({
      model: chain,
      messages: [
        { role: "developer", content: "Answer with one word." },
        { role: "user", content: [{ type: "text", text: "Pick a colour." }] },
        { role: "assistant", content: "Red." },
        { role: "user", content: "Another?" },
      ],
    });
    expect(completion.choices[0]!.message.content).toBe("Green.");
    const [sent] = await llm().requests(s);
    expect(sent!.body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "system", content: "Answer with one word." },
      { role: "user", content: [{ type: "text", text: "Pick a colour." }] },
      { role: "assistant", content: "Red." },
      { role: "user", content: "Another?" },
    ]);
  });

  it("gives completions one after another, streamed or not, and at once, each a run of its own with its own answer", async () => {
    const s = unique("each-own");
    const answers = Array.from({ length: 8 }, (_, i) => `Answer ${i + 1}.`);
    await llm().script(s, answers.map((content) => ({ content })));
    const chain = await chatChain(s);
    const whole = async () => {
      const { data, response } = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }] }).withResponse();
      return { runId: response.headers.get(RUN_ID)!, content: data.choices[0]!.message.content ?? "" };
    };
    const streamed = async () => {
      const { data: stream, response } = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], stream: true }).withResponse();
      let content = "";
      for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? "";
      return { runId: response.headers.get(RUN_ID)!, content };
    };

    const done = [await whole(), await whole(), await streamed(), await streamed(), await whole()];
    done.push(...(await Promise.all([streamed(), whole(), streamed()])));

    expect(new Set(done.map((d) => d.runId)).size).toBe(8);
    expect(done.map((d) => d.content).sort()).toEqual([...answers].sort());
    for (const { runId, content } of done) {
      const run = await waitForRun(api(), runId, (r) => r.status === "succeeded");
      expect(run).toMatchObject({ status: "succeeded" });
      expect(JSON.stringify(run.output)).toContain(content);
    }
  });

  it("passes max_tokens, temperature, top_p, stop and user to the chain's chat tasks, the chain's max_tokens staying a ceiling", async () => {
    const s = unique("overrides");
    await llm().script(s, [{ content: "a" }, { content: "b" }], { repeat: true });
    const chain = await chatChain(s, { max_tokens: 100, temperature: 0.9 });
    await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], max_tokens: 12, temperature: 0.3, top_p: 0.5, stop: "END", user: "u-42" });
    await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], max_completion_tokens: 5000 });
    const [first, second] = await llm().requests(s);
    expect(first!.body).toMatchObject({ max_tokens: 12, temperature: 0.3, top_p: 0.5, stop: ["END"], user: "u-42" });
    expect(second!.body).toMatchObject({ max_tokens: 100, temperature: 0.9 });
    expect(second!.body.top_p).toBeUndefined();
    expect(second!.body.user).toBeUndefined();
  });

  it("offers the client's tools only to tasks that pass them, and hands tool calls back in OpenAI's format", async () => {
    const s = unique("client-tools");
    await llm().script(s, [{ tool_calls: [{ id: "call_w1", name: "get_weather", arguments: { city: "Paris" } }] }, { content: "Sunny in Paris." }]);
    const chain = await chatChain(s, { pass_clients_tools: true });
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
    const first = await openai().chat.completions.create({ model: chain, messages, tools: [weatherTool], tool_choice: "auto" });

    expect(first.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: { role: "assistant", content: null, tool_calls: [{ id: "call_w1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
    });
    const [offered] = await llm().requests(s);
    expect(offered!.body.tools).toEqual([weatherTool]);
    expect(offered!.body.tool_choice).toBe("auto");

    messages.push(first.choices[0]!.message as OpenAI.ChatCompletionAssistantMessageParam, { role: "tool", tool_call_id: "call_w1", content: '{"sky":"clear"}' });
    const second = await openai().chat.completions.create({ model: chain, messages, tools: [weatherTool] });
    expect(second.choices[0]).toMatchObject({ finish_reason: "stop", message: { content: "Sunny in Paris." } });
    const [, answered] = await llm().requests(s);
    expect((answered!.body.messages as unknown[]).slice(-2)).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "call_w1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { role: "tool", tool_call_id: "call_w1", content: '{"sky":"clear"}' },
    ]);
  });

  it("reports a reply the provider cut short with its finish_reason, length or content_filter", async () => {
    const s = unique("cut-short");
    await llm().script(s, [
      { content: "The answer is", finish_reason: "length" },
      { content: "", finish_reason: "content_filter" },
    ]);
    const chain = await chatChain(s);
    const long = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], max_tokens: 3 });
    expect(long.choices[0]).toMatchObject({ finish_reason: "length", message: { content: "The answer is" } });
    const filtered = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }] });
    expect(filtered.choices[0]!.finish_reason).toBe("content_filter");
  });

  it("does not offer the client's tools to a chain that does not pass them", async () => {
    const s = unique("closed-tools");
    await llm().script(s, [{ content: "No tools here." }]);
    const chain = await chatChain(s);
    const completion = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], tools: [weatherTool], tool_choice: "required" });
    expect(completion.choices[0]).toMatchObject({ finish_reason: "stop", message: { content: "No tools here." } });
    const [sent] = await llm().requests(s);
    expect(sent!.body.tools).toBeUndefined();
    expect(sent!.body.tool_choice).toBeUndefined();
  });
});

describe("streaming", () => {
  it("streams tokens as the provider sends them: the first arrives before the provider has sent its last", async () => {
    const s = unique("slow-stream");
    const chunks = ["One", " two", " three", " four", " five"];
    await llm().script(s, [{ chunks, chunk_delay_ms: 300 }]);
    const chain = await chatChain(s);
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: chain, messages: [{ role: "user", content: "Count" }], stream: true })
      .withResponse();

    const arrivals: Array<{ at: number; content: string }> = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      const choice = chunk.choices[0];
      if (choice?.delta.content) arrivals.push({ at: Date.now(), content: choice.delta.content });
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(arrivals.map((a) => a.content).join("")).toBe("One two three four five");
    expect(arrivals.length).toBeGreaterThan(1);
    expect(finish).toBe("stop");

    const [sent] = await llm().requests(s);
    const lastContentSent = sent!.sent.filter((f) => f.data.includes('"content"')).at(-1)!;
    expect(arrivals[0]!.at).toBeLessThan(lastContentSent.at);
    const runId = response.headers.get(RUN_ID)!;
    expect((await api().get(`/runs/${runId}`)).body.status).toBe("succeeded");
  });

  it("streams the provider's finish_reason when the reply was cut short", async () => {
    const s = unique("stream-cut-short");
    await llm().script(s, [{ chunks: ["The", " answer", " is"], finish_reason: "length" }]);
    const chain = await chatChain(s);
    const stream = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], stream: true });
    const finishes: string[] = [];
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    }
    expect(text).toBe("The answer is");
    expect(finishes).toEqual(["length"]);
  });

  it("cancels the run when the client hangs up mid-stream", async () => {
    const s = unique("hang-up");
    await llm().script(s, [{ chunks: Array.from({ length: 40 }, (_, i) => ` w${i}`), chunk_delay_ms: 250 }]);
    const chain = await chatChain(s);
    const hangUp = new AbortController();
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], stream: true }, { signal: hangUp.signal })
      .withResponse();
    const runId = response.headers.get(RUN_ID)!;
    let first: string | undefined;
    for await (const chunk of stream) {
      first = chunk.choices[0]?.delta.content || undefined;
      if (first) break;
    }
    hangUp.abort();
    expect(first).toBe(" w0");

    const run = await waitForRun(api(), runId, (r) => r.status !== "running" && r.status !== "queued");
    expect(run.status).toBe("cancelled");
    const [sent] = await llm().requests(s);
    expect(sent!.sent.filter((f) => f.data.includes('"content"')).length).toBeLessThan(40);
  });

  it("ends with a usage chunk when stream_options.include_usage is set", async () => {
    const s = unique("stream-usage");
    await llm().script(s, [{ content: "Counted.", usage: { prompt_tokens: 20, completion_tokens: 2 } }]);
    const chain = await chatChain(s);
    const stream = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], stream: true, stream_options: { include_usage: true } });
    const all: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) all.push(chunk);
    expect(all[0]!.choices[0]!.delta).toMatchObject({ role: "assistant" });
    expect(all.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 2, total_tokens: 22 } });
    expect(all.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? "")).join("")).toBe("Counted.");
  });

  it("streams client tool calls that the SDK assembles into a final completion", async () => {
    const s = unique("stream-tools");
    await llm().script(s, [{ tool_calls: [{ id: "call_s1", name: "get_weather", arguments: { city: "Oslo" } }] }]);
    const chain = await chatChain(s, { pass_clients_tools: true });
    const final = await openai()
      .chat.completions.stream({ model: chain, messages: [{ role: "user", content: "Weather in Oslo?" }], tools: [weatherTool] })
      .finalChatCompletion();
    expect(final.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: { tool_calls: [{ id: "call_s1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }] },
    });
  });

  it("streams the final answer, not the raw reply, when the chain reshapes it", async () => {
    const s = unique("reshaped");
    await llm().script(s, [{ chunks: ["forty", "-two"] }], { repeat: true });
    const chain = await chatChain(s, {}, { output_template: "Answer: {{.chat}}" });
    const stream = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Answer: forty-two");
    const plain = await openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }] });
    expect(plain.choices[0]!.message.content).toBe("Answer: forty-two");
  });

  it("does not stream a draft that always goes on to another chat task", async () => {
    const draft = unique("draft");
    const final = unique("final");
    await llm().script(draft, [{ content: "rough notes" }]);
    await llm().script(final, [{ chunks: ["Clean", " answer."] }]);
    const id = `oa-${draft}`;
    const chain = {
      id,
      tasks: [
        { id: "draft", handler: "chat_completion", execute_config: { model: draft }, transition: { branches: [{ operator: "default", when: "", goto: "final" }] } },
        { id: "final", handler: "chat_completion", input_var: "draft", execute_config: { model: final } },
      ],
    };
    expect((await api().post("/chains", chain)).status).toBe(201);
    const stream = await openai().chat.completions.create({ model: id, messages: [{ role: "user", content: "x" }], stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    expect(deltas).toEqual(["Clean", " answer."]);
  });
});

describe("models", () => {
  it("lists chains as models at /v1/models", async () => {
    const s = unique("listed");
    const chain = await chatChain(s);
    const ids = [];
    for await (const model of openai().models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["default-chain", "safe-chain", chain]));
  });

  it("lists the chain and the providers' models at /openai/:chain/v1/models", async () => {
    const models = [];
    for await (const model of openai("/openai/default-chain/v1").models.list()) models.push(model);
    expect(models[0]).toMatchObject({ id: "default-chain", object: "model", owned_by: "switchyard" });
    expect(models).toContainEqual(expect.objectContaining({ id: "mock-model", owned_by: "default" }));
  });
});

describe("POST /openai/:chain/v1/chat/completions", () => {
  it("runs the chain in the path, with model choosing the LLM through {{var:model}}", async () => {
    const s = unique("path-model");
    await llm().script(s, [{ content: "from the chosen model" }]);
    const chosen = await openai("/openai/default-chain/v1").chat.completions.create({ model: s, messages: [{ role: "user", content: "x" }] });
    expect(chosen.choices[0]!.message.content).toBe("from the chosen model");
    expect(chosen.model).toBe(s);

    const own = await openai("/openai/default-chain/v1").chat.completions.create({ model: "default-chain", messages: [{ role: "user", content: "ping" }] });
    expect(own.choices[0]!.message.content).toBe("echo: ping");
  });

  it("answers 404 model_not_found for a chain that does not exist", async () => {
    const error = await failure(openai("/openai/no-such-chain/v1").chat.completions.create({ model: "x", messages: [{ role: "user", content: "x" }] }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe("model_not_found");
  });
});

describe("errors in OpenAI's shape", () => {
  it("404 model_not_found for an unknown model, naming the param", async () => {
    const error = await failure(openai().chat.completions.create({ model: "no-such-chain", messages: [{ role: "user", content: "x" }] }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.error).toMatchObject({ type: "invalid_request_error", code: "model_not_found", param: "model" });
  });

  it("400 with the offending field for a bad request, and no run", async () => {
    const badRole = await failure(openai().chat.completions.create({ model: "default-chain", messages: [{ role: "wizard", content: "x" } as never] }));
    expect(badRole).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badRole.error).toMatchObject({ type: "invalid_request_error", param: "messages[0].role" });
    expect(badRole.headers?.get(RUN_ID)).toBeNull();

    const hot = await failure(openai().chat.completions.create({ model: "default-chain", messages: [{ role: "user", content: "x" }], temperature: 5 }));
    expect(hot.status).toBe(400);
    expect(hot.error).toMatchObject({ param: "temperature" });

    const noMessages = await api().post("/v1/chat/completions", { model: "default-chain", messages: [] });
    expect(noMessages.status).toBe(400);
    expect(noMessages.body.error).toMatchObject({ param: "messages", type: "invalid_request_error" });
  });

  it("401 for a missing or wrong key", async () => {
    const wrong = await failure(openai("/v1", "not-a-key").models.list());
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong.error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key" });
    const missing = await fetch(`${api().baseUrl}/openai/default-chain/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "invalid_api_key", param: null } });
  });

  it("413 for a body over the limit", async () => {
    const res = await api().post("/v1/chat/completions", { model: "default-chain", messages: [{ role: "user", content: "x".repeat(1_100_000) }] });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", code: "request_too_large" });
  });

  it("404 in OpenAI's shape for an unknown path under /v1", async () => {
    const res = await api().get("/v1/engines");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", code: "unknown_url" });
  });

  it("429 passed through with the provider's retry-after, streaming or not", async () => {
    const s = unique("rate-limited");
    await llm().script(s, [{ status: 429, error: { message: "slow down" }, headers: { "retry-after": "7" } }], { repeat: true });
    const chain = await chatChain(s);
    for (const stream of [false, true]) {
      const error = await failure(openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }], stream }));
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error.headers?.get("retry-after")).toBe("7");
      expect(error.error).toMatchObject({ type: "rate_limit_error", code: "rate_limited" });
      expect(error.headers?.get(RUN_ID)).toBeTruthy();
    }
  });

  it("502 when the provider keeps failing after the chain's retries", async () => {
    const s = unique("down");
    await llm().script(s, [{ status: 503, error: { message: "overloaded" } }], { repeat: true });
    const chain = await chatChain(s, { retry_policy: { max_attempts: 2, initial_backoff: "100ms", max_backoff: "100ms", jitter: 0 } });
    const error = await failure(openai().chat.completions.create({ model: chain, messages: [{ role: "user", content: "x" }] }));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(502);
    expect(error.error).toMatchObject({ type: "server_error", code: "provider_error" });
    expect(await llm().requests(s)).toHaveLength(2);
  });

  it("ends a stream with an error frame when the chain fails after its first token", async () => {
    const s = unique("late-failure");
    const broken = unique("late-failure-second");
    await llm().script(s, [{ content: "Thinking it over." }]);
    await llm().script(broken, [{ status: 500, error: { message: "boom" } }]);
    const id = `oa-${s}`;
    const chain = {
      id,
      tasks: [
        {
          id: "draft",
          handler: "chat_completion",
          execute_config: { model: s },
          transition: { branches: [{ operator: "equals", when: "tool-call", goto: "end" }, { operator: "default", when: "", goto: "polish" }] },
        },
        { id: "polish", handler: "chat_completion", execute_config: { model: broken } },
      ],
    };
    expect((await api().post("/chains", chain)).status).toBe(201);
    const stream = await openai().chat.completions.create({ model: id, messages: [{ role: "user", content: "x" }], stream: true });
    let text = "";
    const error = await failure(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })(),
    );
    expect(text).toBe("Thinking it over.");
    expect(error.message).toMatch(/boom/);
  });
});
