import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embedWith } from "../../src/llm/embeddings";
import type { AiBinding, Provider } from "../../src/llm/provider";
import { startMockLLM, type MockLLM } from "../mocks/llm-server";

let mock: MockLLM;
beforeAll(async () => {
  mock = await startMockLLM();
});
afterAll(() => mock.close());

const endpoint = (): Provider => ({ name: "p", type: "openai-compatible", baseUrl: mock.url });

describe("embedWith", () => {
  it("asks an OpenAI-compatible endpoint for float vectors, one per input, passing dimensions on", async () => {
    const answer = await embedWith(endpoint(), { model: "vec", input: ["alpha", "beta"], dimensions: 4 });
    expect(answer.vectors).toHaveLength(2);
    expect(answer.vectors.every((v) => v.length === 4)).toBe(true);
    expect(answer.vectors[0]).not.toEqual(answer.vectors[1]);
    const [request] = mock.requests("vec");
    expect(request!.body).toMatchObject({ encoding_format: "float", dimensions: 4 });
    expect(answer).toMatchObject({ model: "vec", dimensions: 4, usage: JSON.parse(request!.sent[0]!.data).usage });
    expect((await embedWith(endpoint(), { model: "vec", input: ["alpha"], dimensions: 4 })).vectors[0]).toEqual(answer.vectors[0]);
  });

  it("runs a Workers AI embedding model through the binding, estimating the tokens it does not report", async () => {
    const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];
    const ai: AiBinding = {
      async run(model, inputs) {
        calls.push({ model, inputs });
        return { shape: [2, 3], data: [[1, 0, 0], [0, 1, 0]] };
      },
    };
    const answer = await embedWith({ name: "edge", type: "workers-ai", baseUrl: "workers-ai", ai }, { model: "@cf/baai/bge-small-en-v1.5", input: ["one", "two"] });
    expect(calls).toEqual([{ model: "@cf/baai/bge-small-en-v1.5", inputs: { text: ["one", "two"] } }]);
    expect(answer).toEqual({ vectors: [[1, 0, 0], [0, 1, 0]], model: "@cf/baai/bge-small-en-v1.5", dimensions: 3, usage: { prompt_tokens: 2, total_tokens: 2 } });
  });
});
