import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatRequest } from "../../src/engine/effects";
import { EngineError } from "../../src/engine/errors";
import { chatWith } from "../../src/llm/client";
import type { Provider } from "../../src/llm/provider";
import { retryAfterIn } from "../../src/llm/errors";
import { startMockLLM, type MockLLM } from "../mocks/llm-server";

let mock: MockLLM;
beforeAll(async () => {
  mock = await startMockLLM();
});
afterAll(() => mock.close());

function llmFor(provider: Omit<Provider, "baseUrl" | "type">) {
  return { chat: (request: ChatRequest & { model: string }, signal?: AbortSignal, onDelta?: (text: string) => void) => chatWith({ ...provider, type: "openai-compatible", baseUrl: mock.url }, request, signal, onDelta) };
}

describe("chatWith", () => {
  it("streams the reply to the delta listener piece by piece", async () => {
    mock.script("streams", [{ chunks: ["a", "b", "c"] }]);
    const deltas: string[] = [];
    const response = await llmFor({ name: "p" }).chat({ model: "streams", messages: [{ role: "user", content: "x" }] }, undefined, (d) => deltas.push(d));
    expect(deltas).toEqual(["a", "b", "c"]);
    expect(response.message.content).toBe("abc");
    expect(mock.requests("streams")[0]!.body.stream).toBe(true);
  });

  it("asks for the whole reply, and hands it over at once, when the model is declared without streaming", async () => {
    mock.script("no-stream", [{ chunks: ["a", "b", "c"] }]);
    const deltas: string[] = [];
    const provider = { name: "p", models: [{ id: "no-stream", capabilities: ["chat" as const] }] };
    const response = await llmFor(provider).chat({ model: "no-stream", messages: [{ role: "user", content: "x" }] }, undefined, (d) => deltas.push(d));
    expect(deltas).toEqual(["abc"]);
    expect(response.message.content).toBe("abc");
    expect(mock.requests("no-stream")[0]!.body.stream).toBe(false);
  });

  it("sends each provider's own key, however often providers of one endpoint take turns", async () => {
    mock.script("keys", [{ chunks: ["ok"] }], { repeat: true });
    for (const apiKey of ["key-a", "key-b", "key-a", undefined]) {
      await llmFor({ name: "p", ...(apiKey ? { apiKey } : {}) }).chat({ model: "keys", messages: [{ role: "user", content: "x" }] });
    }
    expect(mock.requests("keys").map((r) => r.headers.authorization)).toEqual(["Bearer key-a", "Bearer key-b", "Bearer key-a", "Bearer none"]);
  });

  it("keeps the provider's Retry-After in a rate-limit error, readable with retryAfterIn", async () => {
    mock.script("limited", [{ status: 429, error: { message: "slow down" }, headers: { "retry-after": "7" } }]);
    const error = await llmFor({ name: "p" })
      .chat({ model: "limited", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ type: "rate_limited", options: { retryable: true, status: 429 } });
    expect(retryAfterIn((error as Error).message)).toBe("7");
    expect(retryAfterIn("Provider answered 500: boom")).toBeUndefined();
  });
});
