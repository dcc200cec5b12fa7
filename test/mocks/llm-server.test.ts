import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockLLMControl } from "./llm-control";
import { DEFAULT_MODEL, startMockLLM, type MockLLM } from "./llm-server";

const API_KEY = "sk-mock-test";

let llm: MockLLM;
let client: OpenAI;

beforeAll(async () => {
  llm = await startMockLLM({ apiKey: API_KEY });
  client = new OpenAI({ baseURL: llm.url, apiKey: API_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await llm.close();
});

const ask = (model: string, text = "hello") => ({ model, messages: [{ role: "user" as const, content: text }] });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail");
}

describe("mock LLM over the openai SDK", () => {
  it("answers a scripted non-streaming completion with usage", async () => {
    llm.script("plain", [{ content: "Hello there" }]);

    const completion = await client.chat.completions.create(ask("plain"));

    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("plain");
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: "Hello there" });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("echoes the last user message for a model nobody scripted", async () => {
    const completion = await client.chat.completions.create({
      model: "never-scripted",
      messages: [
        { role: "user", content: "first" },
        { role: "assistant", content: "ok" },
        { role: "user", content: [{ type: "text", text: "second" }] },
      ],
    });

    expect(completion.choices[0]?.message.content).toBe("echo: second");
  });

  it("streams content that reaches the client before the server has sent the rest", async () => {
    llm.script("incremental", [{ chunks: ["Hel", "lo", " world"], chunk_delay_ms: 40 }]);

    const stream = await client.chat.completions.create({ ...ask("incremental"), stream: true });
    const arrivals: Array<{ at: number; chunk: OpenAI.ChatCompletionChunk }> = [];
    for await (const chunk of stream) arrivals.push({ at: Date.now(), chunk });

    const deltas = arrivals.map(({ chunk }) => chunk.choices[0]?.delta);
    expect(deltas[0]?.role).toBe("assistant");
    expect(deltas.map((delta) => delta?.content ?? "").join("")).toBe("Hello world");
    expect(arrivals.at(-1)?.chunk.choices[0]?.finish_reason).toBe("stop");

    const [request] = llm.requests("incremental");
    const lastSent = request?.sent.at(-1);
    expect(lastSent?.data).toBe("data: [DONE]\n\n");
    const firstContent = arrivals.find(({ chunk }) => chunk.choices[0]?.delta.content === "Hel");
    expect(firstContent?.at).toBeLessThan(lastSent?.at ?? 0);
  });

  it("frames a stream as SSE data lines that end with [DONE]", async () => {
    llm.script("sse", [{ content: "a b" }]);

    const response = await fetch(`${llm.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ ...ask("sse"), stream: true }),
    });
    const events = (await response.text()).split("\n\n").filter((event) => event !== "");

    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(events.every((event) => event.startsWith("data: "))).toBe(true);
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(events.slice(0, -1).map((event) => JSON.parse(event.slice(6)).object)).toEqual(
      Array(events.length - 1).fill("chat.completion.chunk"),
    );
  });

  it("streams tool calls in pieces that the SDK reassembles", async () => {
    llm.script("tools", [
      {
        tool_calls: [
          { name: "get_weather", arguments: { city: "Paris", units: "metric" } },
          { name: "lookup", arguments: '{"q":"x"}', id: "call_fixed" },
        ],
      },
    ]);

    const stream = client.chat.completions.stream(ask("tools"));
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const completion = await stream.finalChatCompletion();

    const firstCallDeltas = chunks
      .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
      .filter((delta) => delta.index === 0);
    expect(firstCallDeltas[0]).toMatchObject({
      id: expect.any(String),
      type: "function",
      function: { name: "get_weather" },
    });
    expect(firstCallDeltas.length).toBeGreaterThan(2);
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    const calls = (completion.choices[0]?.message.tool_calls ?? []).map((call) =>
      call.type === "function"
        ? { id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown }
        : call,
    );
    expect(calls).toEqual([
      { id: expect.stringMatching(/^call_/), name: "get_weather", arguments: { city: "Paris", units: "metric" } },
      { id: "call_fixed", name: "lookup", arguments: { q: "x" } },
    ]);
  });

  it("sends usage in a final chunk with no choices only when include_usage is set", async () => {
    llm.script("usage", [{ content: "counted", usage: { prompt_tokens: 11, completion_tokens: 7 } }], { repeat: true });

    const withUsage = await client.chat.completions.create({
      ...ask("usage"),
      stream: true,
      stream_options: { include_usage: true },
    });
    const withChunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of withUsage) withChunks.push(chunk);
    const withoutUsage = await client.chat.completions.create({ ...ask("usage"), stream: true });
    const withoutChunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of withoutUsage) withoutChunks.push(chunk);

    expect(withChunks.at(-1)?.choices).toEqual([]);
    expect(withChunks.at(-1)?.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(withChunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(withoutChunks.some((chunk) => chunk.usage != null || chunk.choices.length === 0)).toBe(false);
  });

  it("surfaces a scripted 429 with retry-after as the SDK's RateLimitError", async () => {
    llm.script("limited", [
      { status: 429, error: { message: "slow down", code: "rate_limit_exceeded" }, headers: { "retry-after": "3" } },
    ]);

    const error = await rejection(client.chat.completions.create(ask("limited")));

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get("retry-after")).toBe("3");
    expect(rateLimit.code).toBe("rate_limit_exceeded");
    expect(rateLimit.message).toContain("slow down");
  });

  it("rejects a request without the right bearer key", async () => {
    const stranger = new OpenAI({ baseURL: llm.url, apiKey: "sk-wrong", maxRetries: 0 });

    const error = await rejection(stranger.chat.completions.create(ask("plain")));

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(llm.requests().some((request) => request.headers.authorization === "Bearer sk-wrong")).toBe(false);
  });

  it("fails loudly once a scenario's script is used up", async () => {
    llm.script("once", [{ content: "only once" }]);

    const first = await client.chat.completions.create(ask("once"));
    const error = await rejection(client.chat.completions.create(ask("once")));

    expect(first.choices[0]?.message.content).toBe("only once");
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as Error).message).toContain("mock: no scripted reply left for scenario once");
  });

  it("keeps answering with the last reply when scripted with repeat", async () => {
    llm.script("again", [{ content: "a" }, { content: "b" }], { repeat: true });

    const contents: Array<string | null | undefined> = [];
    for (let turn = 0; turn < 3; turn++) {
      contents.push((await client.chat.completions.create(ask("again"))).choices[0]?.message.content);
    }

    expect(contents).toEqual(["a", "b", "b"]);
  });

  it("keeps concurrent scenarios apart", async () => {
    llm.script("left", [{ content: "L1", delay_ms: 30 }, { content: "L2" }]);
    llm.script("right", [{ content: "R1" }, { content: "R2", delay_ms: 30 }]);

    const answers = await Promise.all(
      ["left", "right", "left", "right"].map(async (model, turn) => {
        const completion = await client.chat.completions.create(ask(model, `turn ${turn}`));
        return completion.choices[0]?.message.content;
      }),
    );

    expect(answers.filter((answer) => answer?.startsWith("L")).sort()).toEqual(["L1", "L2"]);
    expect(answers.filter((answer) => answer?.startsWith("R")).sort()).toEqual(["R1", "R2"]);
    const leftTexts = llm
      .requests("left")
      .map((request) => (request.body.messages as Array<{ content: string }>)[0]?.content);
    expect(leftTexts.sort()).toEqual(["turn 0", "turn 2"]);
  });

  it("lets a function reply answer from the request it received", async () => {
    llm.script("computed", [(request) => ({ content: `you sent ${request.messages.length} messages` })]);

    const completion = await client.chat.completions.create({
      model: "computed",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "count" },
      ],
    });

    expect(completion.choices[0]?.message.content).toBe("you sent 2 messages");
  });

  it("lists models and returns stable embeddings in both encodings", async () => {
    const models = await client.models.list();
    const decoded = await client.embeddings.create({ model: "emb", input: ["alpha", "beta"] });
    const again = await client.embeddings.create({ model: "emb", input: ["alpha", "beta"] });
    const asFloats = await client.embeddings.create({ model: "emb", input: "alpha", encoding_format: "float" });

    expect(models.data.map((model) => model.id)).toContain(DEFAULT_MODEL);
    const [alpha, beta] = decoded.data.map((item) => item.embedding);
    expect(alpha).toHaveLength(8);
    expect(alpha).not.toEqual(beta);
    expect(again.data.map((item) => item.embedding)).toEqual([alpha, beta]);
    expect(asFloats.data[0]?.embedding).toEqual(alpha);
  });
});

describe("mock LLM control over HTTP", () => {
  it("scripts a scenario, shows its requests, and resets", async () => {
    const control = mockLLMControl(llm.url);
    await control.script("remote", [{ content: "via http" }]);

    const completion = await client.chat.completions.create({ ...ask("remote", "ping"), temperature: 0.3 });
    const recorded = await control.requests("remote");
    await control.reset();
    const afterReset = await client.chat.completions.create(ask("remote", "pong"));

    expect(completion.choices[0]?.message.content).toBe("via http");
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.body).toEqual({
      model: "remote",
      messages: [{ role: "user", content: "ping" }],
      temperature: 0.3,
    });
    expect(recorded[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(afterReset.choices[0]?.message.content).toBe("echo: pong");
    expect(await control.requests("remote")).toHaveLength(1);
  });

  it("rejects a script with a misspelt reply field", async () => {
    const control = mockLLMControl(`${llm.url}/`);

    const error = await rejection(control.script("typo", [{ contnt: "x" } as never]));

    expect((error as Error).message).toContain("400");
    expect((error as Error).message).toContain("contnt");
  });
});
