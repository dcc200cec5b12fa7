import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/engine/types";
import type { Provider } from "../../src/llm/client";
import { providerRegistry, type ProviderStore, type StoredProvider } from "../../src/llm/registry";

const configured: Provider = {
  name: "default",
  baseUrl: "http://127.0.0.1:1/v1",
  apiKey: "config-key",
  defaultModel: "small",
  models: [{ id: "small", capabilities: ["chat", "tools", "streaming"] }],
};

const router: StoredProvider = {
  name: "router",
  base_url: "http://127.0.0.1:2/v1",
  sealed_key: "sealed:router-key",
  models: [
    { id: "embedder", capabilities: ["embeddings"] },
    { id: "big", context_length: 128_000, capabilities: ["chat", "tools"] },
  ],
  default_model: null,
  created_at: 1,
  updated_at: 2,
};

const local: StoredProvider = { ...router, name: "local", base_url: "http://127.0.0.1:3/v1", sealed_key: null, models: [], default_model: "llama" };

function store(...providers: StoredProvider[]): ProviderStore {
  return { list: async () => providers, find: async (name) => providers.find((p) => p.name === name) };
}

const openKey = async (sealed: string) => {
  if (!sealed.startsWith("sealed:")) throw new Error("bad seal");
  return sealed.slice("sealed:".length);
};

describe("provider registry", () => {
  it("serves the configured provider for no name, 'default' and its own name", async () => {
    const registry = providerRegistry({ configured: { ...configured, name: "openai" }, store: store(router), openKey });
    for (const name of [undefined, "", "default", "openai"]) expect((await registry.lookup(name))?.baseUrl).toBe("http://127.0.0.1:1/v1");
    expect(registry.isConfigured("openai")).toBe(true);
    expect(registry.isConfigured("router")).toBe(false);
  });

  it("opens a registered provider's key at lookup and picks its default model", async () => {
    const registry = providerRegistry({ configured, store: store(router, local), openKey });
    expect(await registry.lookup("router")).toEqual({ name: "router", baseUrl: "http://127.0.0.1:2/v1", apiKey: "router-key", defaultModel: "big", models: router.models });
    expect(await registry.lookup("local")).toMatchObject({ apiKey: undefined, defaultModel: "llama" });
    expect(await registry.lookup("nobody")).toBeUndefined();
  });

  it("reports a key that cannot be opened as a non-retryable error naming the provider", async () => {
    const registry = providerRegistry({ configured, store: store({ ...router, sealed_key: "garbage" }), openKey });
    const error = await registry.lookup("router").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ type: "provider_key_unreadable", options: { retryable: false } });
    expect((error as Error).message).toContain('"router"');
  });

  it("lists the configured provider first and never a key", async () => {
    const registry = providerRegistry({ configured, store: store(router, local), openKey });
    const list = await registry.list();
    expect(list.map((p) => [p.name, p.source, p.has_api_key])).toEqual([
      ["default", "config", true],
      ["router", "api", true],
      ["local", "api", false],
    ]);
    expect(list[1]).toMatchObject({ models: router.models, default_model: null, created_at: 1, updated_at: 2 });
    expect(JSON.stringify(list)).not.toMatch(/config-key|router-key|sealed:/);
    expect(await registry.find("local")).toMatchObject({ name: "local", base_url: "http://127.0.0.1:3/v1" });
  });

  it("finds which provider lists a model, the configured one first", async () => {
    const registry = providerRegistry({ configured, store: store(router, { ...local, models: [{ id: "small", capabilities: ["chat"] }] }), openKey });
    expect(await registry.ownerOf("small")).toBe("default");
    expect(await registry.ownerOf("big")).toBe("router");
    expect(await registry.ownerOf("unknown")).toBeUndefined();
  });

  it("works with no configured provider", async () => {
    const registry = providerRegistry({ store: store(router), openKey });
    expect(await registry.lookup(undefined)).toBeUndefined();
    expect((await registry.list()).map((p) => p.name)).toEqual(["router"]);
  });
});
