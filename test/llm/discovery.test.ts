import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverModels } from "../../src/llm/discovery";
import type { Provider } from "../../src/llm/provider";
import { DEFAULT_MODEL, startMockLLM, type MockLLM } from "../mocks/llm-server";

let mock: MockLLM;
beforeAll(async () => {
  mock = await startMockLLM({ apiKey: "sk-mock" });
  mock.models([
    { id: "qwen2.5:7b", context_length: 32_768, capabilities: ["completion", "tools"] },
    { id: "nomic-embed-text", context_length: 8192, capabilities: ["embedding"] },
    { id: "tiny", capabilities: ["completion"] },
  ]);
});
afterAll(() => mock.close());

const provider = (type: Provider["type"]): Provider => ({ name: "p", type, baseUrl: mock.url, apiKey: "sk-mock" });

describe("discoverModels", () => {
  it("reads Ollama's tag list, with each model's context length and capabilities from /api/show", async () => {
    const models = await discoverModels(provider("ollama"));
    expect(models).toContainEqual({ id: "qwen2.5:7b", context_length: 32_768, capabilities: ["chat", "streaming", "tools"] });
    expect(models).toContainEqual({ id: "nomic-embed-text", context_length: 8192, capabilities: ["embeddings"] });
    expect(models).toContainEqual({ id: "tiny", capabilities: ["chat", "streaming"] });
  });

  it("reads OpenAI's /models for other types, keeping a reported context length and telling embedding models by name", async () => {
    const models = await discoverModels(provider("openai-compatible"));
    expect(models).toContainEqual({ id: DEFAULT_MODEL, capabilities: ["chat", "tools", "streaming"] });
    expect(models).toContainEqual({ id: "qwen2.5:7b", context_length: 32_768, capabilities: ["chat", "tools", "streaming"] });
    expect(models).toContainEqual({ id: "nomic-embed-text", context_length: 8192, capabilities: ["embeddings"] });
  });

  it("fails with the backend's answer when it refuses, and says Workers AI has nothing to list", async () => {
    await expect(discoverModels({ ...provider("openai"), apiKey: "wrong" })).rejects.toMatchObject({ type: "provider_auth" });
    await expect(discoverModels({ name: "edge", type: "workers-ai", baseUrl: "workers-ai" })).rejects.toMatchObject({ type: "sync_unsupported" });
    await expect(discoverModels({ ...provider("openai"), baseUrl: "http://127.0.0.1:9/v1" })).rejects.toMatchObject({ type: "provider_unreachable" });
  });
});
