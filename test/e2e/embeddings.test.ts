/**
 * Embeddings over HTTP: `POST /v1/embeddings` through the official `openai` SDK (its default
 * base64 encoding and floats), the `embedding` handler in a chain, and the sandbox's `embed()`
 * global, all served by the scripted mock LLM, which embeds deterministically.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { api, llm, runSteps, unique } from "./client";
import { runJs } from "./sandbox-client";

const client = () => new OpenAI({ baseURL: `${api().baseUrl}/v1`, apiKey: api().apiKey, maxRetries: 0 });

describe("POST /v1/embeddings", () => {
  it("answers the SDK's embeddings.create in OpenAI's shape, base64 and float alike", async () => {
    const model = unique("embedder");
    const decoded = await client().embeddings.create({ model, input: ["alpha", "beta"] });
    const floats = await client().embeddings.create({ model, input: ["alpha", "beta"], encoding_format: "float" });
    expect(decoded.object).toBe("list");
    expect(decoded.model).toBe(model);
    expect(decoded.data.map((d) => d.index)).toEqual([0, 1]);
    expect(decoded.data.map((d) => d.embedding)).toEqual(floats.data.map((d) => d.embedding));
    expect(decoded.data[0]!.embedding).not.toEqual(decoded.data[1]!.embedding);
    expect(decoded.usage.prompt_tokens).toBeGreaterThan(0);
    const sent = await llm().requests(model);
    expect(sent.map((r) => r.body.encoding_format)).toEqual(["float", "float"]);
  });

  it("passes dimensions on and takes a single string", async () => {
    const answer = await client().embeddings.create({ model: unique("embedder"), input: "one text", dimensions: 16, encoding_format: "float" });
    expect(answer.data).toHaveLength(1);
    expect(answer.data[0]!.embedding).toHaveLength(16);
  });

  it("refuses token arrays and an unknown group in OpenAI's error shape", async () => {
    const tokens = await client()
      .embeddings.create({ model: "m", input: [[1, 2, 3]] })
      .catch((e: unknown) => e);
    expect(tokens).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tokens as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("input");
    const group = await client()
      .embeddings.create({ model: "group:nowhere", input: "x" })
      .catch((e: unknown) => e);
    expect(group).toMatchObject({ status: 424, code: "unknown_group" });
  });
});

describe("the embedding handler", () => {
  it("embeds a run's input and records which backend served it", async () => {
    const model = unique("embedder");
    const chain = { id: "embed-input", tasks: [{ id: "embed", handler: "embedding", execute_config: { model, dimensions: 8 } }] };
    const res = await api().post("/runs?wait=true", { chain, input: ["alpha", "beta"] });
    expect(res.body.status).toBe("succeeded");
    const direct = await client().embeddings.create({ model, input: ["alpha", "beta"], dimensions: 8, encoding_format: "float" });
    expect(res.body.output).toEqual({ vectors: direct.data.map((d) => d.embedding), model, dimensions: 8, usage: direct.usage });
    const [step] = await runSteps(api(), res.body.id);
    expect(step.routing).toMatchObject({ policy: "priority", served_by: { provider: "default", model } });
  });
});

describe("the sandbox's embed()", () => {
  it("embeds a text or a list with the given model, recorded with the program's calls, and fails as a value", async () => {
    const model = unique("embedder");
    const code = [
      `const one = embed("alpha", ${JSON.stringify(model)});`,
      `const many = embed(["alpha", "beta"], ${JSON.stringify(model)});`,
      "const bad = embed([]);",
      "return { one: one.vectors, many: many.vectors, ok: one.success && many.success, bad };",
    ].join("\n");
    const { envelope } = await runJs(code);
    const direct = await client().embeddings.create({ model, input: ["alpha", "beta"], encoding_format: "float" });
    const [alpha, beta] = direct.data.map((d) => d.embedding);
    expect(envelope.result).toEqual({ one: [alpha], many: [alpha, beta], ok: true, bad: { success: false, vectors: [], error: "embed takes a string or a non-empty list of strings" } });
    expect(envelope.calls).toContainEqual({ name: "embed", args: ["alpha", model], ok: true, duration_ms: expect.any(Number), result: expect.objectContaining({ success: true, vectors: [expect.any(Array)] }) });
  });
});
