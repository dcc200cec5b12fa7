/**
 * The OpenAI-compatible endpoint driven by a second, independent client: the `ai` SDK with
 * `@ai-sdk/openai-compatible`, against a real `wrangler dev` and the scripted mock LLM.
 */
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText, jsonSchema, streamText, tool } from "ai";
import { describe, expect, it } from "vitest";
import { api, llm, unique } from "./client";

function switchyard() {
  return createOpenAICompatible({ name: "switchyard", baseURL: `${api().baseUrl}/v1`, apiKey: api().apiKey, includeUsage: true });
}

async function chatChain(model: string, execute: Record<string, unknown> = {}): Promise<string> {
  const id = `ai-${model}`;
  const res = await api().post("/chains", { id, tasks: [{ id: "chat", handler: "chat_completion", execute_config: { model, ...execute } }] });
  expect(res.status).toBe(201);
  return id;
}

describe("the ai SDK against /v1", () => {
  it("generates text with usage", async () => {
    const s = unique("ai-generate");
    await llm().script(s, [{ content: "Forty-two.", usage: { prompt_tokens: 9, completion_tokens: 4 } }]);
    const chain = await chatChain(s);
    const result = await generateText({ model: switchyard()(chain), prompt: "The answer?", maxRetries: 0 });
    expect(result.text).toBe("Forty-two.");
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toMatchObject({ inputTokens: 9, outputTokens: 4, totalTokens: 13 });
  });

  it("streams text in pieces, with usage at the end", async () => {
    const s = unique("ai-stream");
    await llm().script(s, [{ chunks: ["Once", " upon", " a", " time."], usage: { prompt_tokens: 5, completion_tokens: 4 } }]);
    const chain = await chatChain(s);
    const result = streamText({ model: switchyard()(chain), prompt: "A story", maxRetries: 0 });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.join("")).toBe("Once upon a time.");
    expect(pieces.length).toBeGreaterThan(1);
    expect(await result.usage).toMatchObject({ inputTokens: 5, outputTokens: 4 });
  });

  it("returns the model's calls to the client's tools", async () => {
    const s = unique("ai-tools");
    await llm().script(s, [{ tool_calls: [{ name: "lookup", arguments: { term: "switchyard" } }] }], { repeat: true });
    const chain = await chatChain(s, { pass_clients_tools: true });
    const lookup = tool({
      description: "Look a term up",
      inputSchema: jsonSchema<{ term: string }>({ type: "object", properties: { term: { type: "string" } }, required: ["term"] }),
    });
    const options = { model: switchyard()(chain), prompt: "What is a switchyard?", tools: { lookup }, maxRetries: 0 };
    const generated = await generateText(options);
    expect(generated.finishReason).toBe("tool-calls");
    expect(generated.toolCalls).toMatchObject([{ toolName: "lookup", input: { term: "switchyard" } }]);
    const streamed = streamText(options);
    expect(await streamed.finishReason).toBe("tool-calls");
    expect(await streamed.toolCalls).toMatchObject([{ toolName: "lookup", input: { term: "switchyard" } }]);
    const [sent] = await llm().requests(s);
    expect(sent!.body.tools).toMatchObject([{ type: "function", function: { name: "lookup" } }]);
  });

  it("surfaces an unknown model as a 404 API error", async () => {
    const error = await generateText({ model: switchyard()("no-such-chain"), prompt: "x", maxRetries: 0 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(404);
    expect((error as APICallError).responseBody).toContain("model_not_found");
  });

  it("surfaces a provider's rate limit as a 429 API error", async () => {
    const s = unique("ai-429");
    await llm().script(s, [{ status: 429, error: { message: "slow down" }, headers: { "retry-after": "3" } }], { repeat: true });
    const chain = await chatChain(s);
    const error = await generateText({ model: switchyard()(chain), prompt: "x", maxRetries: 0 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(429);
    expect((error as APICallError).responseHeaders?.["retry-after"]).toBe("3");
  });
});
