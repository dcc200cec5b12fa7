import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/engine/errors";
import { poolFor, type PoolTarget } from "../../src/llm/pool";
import { catalogOf, providerView } from "./catalog";

const local = providerView("default", { type: "ollama", models: ["qwen2.5:7b"], default_model: "qwen2.5:7b" });
const gpuA = providerView("gpu-a", { type: "vllm", models: ["llama-70b", "shared"] });
const gpuB = providerView("gpu-b", { type: "vllm", models: ["shared"] });
const anyVllm = providerView("gpu-any", { type: "vllm" });
const cloud = providerView("cloud", { type: "openai", models: ["gpt-4o", { id: "text-embedding-3-small", capabilities: ["embeddings"] }] });
const wai = providerView("edge", { type: "workers-ai", models: [] });

const catalog = catalogOf([local, gpuA, gpuB, anyVllm, cloud, wai], {
  defaultName: "default",
  groups: [{ name: "fast", members: [{ provider: "gpu-b", model: "shared", weight: 3 }, { provider: "cloud", model: "gpt-4o" }], policy: "random" }],
});

const chat = (target: Omit<PoolTarget, "kind">) => poolFor(catalog, { kind: "chat", ...target });
const backends = (target: Omit<PoolTarget, "kind">) => chat(target).candidates.map((c) => `${c.provider.name}/${c.model}`);

function failure(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
  }
  throw new Error("expected an EngineError");
}

describe("poolFor", () => {
  it("pools every provider that lists the model", () => {
    expect(backends({ model: "shared" })).toEqual(["gpu-a/shared", "gpu-b/shared"]);
    expect(chat({ model: "shared" }).fallback).toBeUndefined();
  });

  it("sends a model no provider lists to the default provider, saying it fell back", () => {
    expect(backends({ model: "mystery" })).toEqual(["default/mystery"]);
    expect(chat({ model: "mystery" }).fallback).toBe(true);
  });

  it("sends an unlisted Workers AI model (@cf/…) to the Workers AI providers", () => {
    expect(backends({ model: "@cf/baai/bge-small-en-v1.5" })).toEqual(["edge/@cf/baai/bge-small-en-v1.5"]);
  });

  it("reads provider as a name first: that provider, whatever the model", () => {
    expect(backends({ model: "shared", provider: "gpu-b" })).toEqual(["gpu-b/shared"]);
    expect(backends({ model: "anything", provider: "cloud" })).toEqual(["cloud/anything"]);
    expect(backends({ model: "x", provider: "default" })).toEqual(["default/x"]);
  });

  it("reads it as a type next: the providers of that type listing the model, else those of that type that take any model", () => {
    expect(backends({ model: "shared", provider: "vllm" })).toEqual(["gpu-a/shared", "gpu-b/shared"]);
    expect(backends({ model: "mistral", provider: "vllm" })).toEqual(["gpu-any/mistral"]);
    // The seed runtime's chains: an Ollama model on whichever provider is an Ollama server.
    expect(backends({ model: "llama3.2", provider: "ollama" })).toEqual(["default/llama3.2"]);
  });

  it("narrows to the union of a list of names and types", () => {
    expect(backends({ model: "shared", provider: "cloud", providers: ["vllm"] })).toEqual(["cloud/shared", "gpu-a/shared", "gpu-b/shared"]);
    expect(backends({ model: "shared", providers: ["gpu-b", "openai"] })).toEqual(["gpu-b/shared"]);
  });

  it("fails naming the configured providers and their types when a name is neither", () => {
    const error = failure(() => chat({ model: "m", provider: "nope" }));
    expect(error.type).toBe("unknown_provider");
    expect(error.message).toContain("default (ollama), gpu-a (vllm)");
    expect(error.message).toContain("POST /providers");
    expect(failure(() => chat({ model: "m", provider: "openrouter" })).type).toBe("unknown_provider");
  });

  it("takes a group's members with their weights and policy", () => {
    const pool = chat({ model: "group:fast" });
    expect(pool).toMatchObject({ group: "fast", policy: "random" });
    expect(pool.candidates.map((c) => [c.provider.name, c.model, c.weight])).toEqual([
      ["gpu-b", "shared", 3],
      ["cloud", "gpt-4o", 1],
    ]);
    expect(backends({ model: "group:fast", provider: "openai" })).toEqual(["cloud/gpt-4o"]);
    const unknown = failure(() => chat({ model: "group:slow" }));
    expect(unknown.type).toBe("unknown_group");
    expect(unknown.message).toContain("groups: fast");
  });

  it("offers each provider's default model when the call names none; for embeddings, each one's first embedding model", () => {
    expect(backends({})).toEqual(["default/qwen2.5:7b"]);
    expect(backends({ provider: "vllm" })).toEqual(["gpu-a/llama-70b", "gpu-b/shared"]);
    expect(poolFor(catalog, { kind: "embeddings" }).candidates.map((c) => `${c.provider.name}/${c.model}`)).toEqual(["cloud/text-embedding-3-small"]);
    expect(failure(() => poolFor(catalogOf([gpuA]), { kind: "embeddings" })).type).toBe("missing_model");
  });

  it("fails when nothing serves the model and no default provider takes it", () => {
    expect(failure(() => poolFor(catalogOf([gpuA]), { kind: "chat", model: "mystery" })).type).toBe("no_backend");
  });
});
