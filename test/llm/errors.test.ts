import { APIConnectionError } from "openai";
import { describe, expect, it } from "vitest";
import { providerError } from "../../src/llm/errors";

describe("providerError", () => {
  it("names the URL an unreachable provider was tried at, in one sentence", () => {
    const error = providerError(new APIConnectionError({ message: "Connection error." }), "local", "http://127.0.0.1:11434/v1");
    expect(error).toMatchObject({ type: "provider_unreachable", options: { retryable: true, status: 502 } });
    expect(error.message).toBe('Provider "local" could not be reached at http://127.0.0.1:11434/v1: Connection error.');
  });

  it("ends a message without a full stop with one", () => {
    expect(providerError(new APIConnectionError({ message: "socket hang up" }), "p", "http://x").message).toMatch(/: socket hang up\.$/);
  });
});
