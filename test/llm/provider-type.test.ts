import { describe, expect, it } from "vitest";
import { inferProviderType, readProviderType } from "../../src/llm/provider-type";

describe("provider types", () => {
  it("infers a type only where the base URL leaves no doubt", () => {
    expect(inferProviderType("http://192.168.1.20:11434/v1")).toBe("ollama");
    expect(inferProviderType("https://api.openai.com/v1")).toBe("openai");
    expect(inferProviderType("https://openrouter.ai/api/v1")).toBe("openrouter");
    expect(inferProviderType("workers-ai")).toBe("workers-ai");
    expect(inferProviderType("http://gpu.internal:8000/v1")).toBe("openai-compatible");
  });

  it("reads LLM_PROVIDER_TYPE, naming the types when it is none of them", () => {
    expect(readProviderType(undefined)).toEqual({});
    expect(readProviderType("vllm")).toEqual({ type: "vllm" });
    expect(readProviderType("llamacpp").error).toBe('LLM_PROVIDER_TYPE "llamacpp" is not a provider type; use one of openai, ollama, vllm, openrouter, workers-ai, openai-compatible.');
  });
});
