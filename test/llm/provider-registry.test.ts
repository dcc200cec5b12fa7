import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/engine/errors";
import type { Provider } from "../../src/llm/provider";
import type { ProviderSetting } from "../../src/llm/provider-settings";
import { providerRegistry, type ProviderStore, type StoredProvider } from "../../src/llm/provider-registry";

const configured: Provider = {
  name: "default",
  type: "openai-compatible",
  baseUrl: "http://127.0.0.1:1/v1",
  apiKey: "config-key",
  defaultModel: "small",
  models: [{ id: "small", capabilities: ["chat", "tools", "streaming"] }],
};

const router: StoredProvider = {
  name: "router",
  base_url: "http://127.0.0.1:2/v1",
  type: "openrouter",
  allowed_fails: 5,
  cooldown_s: null,
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
    expect(await registry.lookup("router")).toEqual({ name: "router", type: "openrouter", baseUrl: "http://127.0.0.1:2/v1", apiKey: "router-key", defaultModel: "big", models: router.models });
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

  it("shows each provider's type, declared or inferred from its base URL, and its own health thresholds", async () => {
    const ollama: StoredProvider = { ...local, name: "gpu", base_url: "http://gpu.internal:11434/v1", type: null, allowed_fails: null };
    const registry = providerRegistry({ configured, store: store(router, ollama), openKey });
    const list = await registry.list();
    expect(list.map((p) => [p.name, p.type, p.allowed_fails, p.cooldown_s])).toEqual([
      ["default", "openai-compatible", null, null],
      ["router", "openrouter", 5, null],
      ["gpu", "ollama", null, null],
    ]);
    expect((await registry.lookup("gpu"))?.type).toBe("ollama");
  });

  it("works with no configured provider", async () => {
    const registry = providerRegistry({ store: store(router), openKey });
    expect(await registry.lookup(undefined)).toBeUndefined();
    expect((await registry.list()).map((p) => p.name)).toEqual(["router"]);
  });

  describe("with providers from LLM_PROVIDERS", () => {
    const openrouter: ProviderSetting = {
      name: "openrouter",
      base_url: "http://127.0.0.1:4/v1",
      models: [{ id: "wide", context_length: 200_000, capabilities: ["chat", "tools"] }],
      api_key_secret: "OPENROUTER_KEY",
    };
    const keyless: ProviderSetting = { name: "ollama", base_url: "http://127.0.0.1:5/v1", models: [], default_model: "llama" };
    const secrets: Record<string, string> = { OPENROUTER_KEY: "or-key" };
    const withSettings = (options: { secrets?: Record<string, string>; stored?: StoredProvider[] } = {}) =>
      providerRegistry({
        configured,
        settings: [openrouter, keyless],
        readSecret: (name) => (options.secrets ?? secrets)[name],
        store: store(...(options.stored ?? [router])),
        openKey,
      });

    it("serves each by name with the key read from the secret it names", async () => {
      const registry = withSettings();
      expect(await registry.lookup("openrouter")).toEqual({ name: "openrouter", type: "openai-compatible", baseUrl: "http://127.0.0.1:4/v1", apiKey: "or-key", defaultModel: "wide", models: openrouter.models });
      expect(await registry.lookup("ollama")).toMatchObject({ apiKey: undefined, defaultModel: "llama" });
      expect((await registry.lookup(undefined))?.name).toBe("default");
    });

    it("reads the key at lookup, so a secret set later is used", async () => {
      const current: Record<string, string> = {};
      const registry = withSettings({ secrets: current });
      current.OPENROUTER_KEY = "rotated";
      expect((await registry.lookup("openrouter"))?.apiKey).toBe("rotated");
    });

    it("fails a lookup whose named secret is not set, naming provider and secret", async () => {
      const error = await withSettings({ secrets: {} }).lookup("openrouter").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ type: "provider_key_missing", options: { retryable: false } });
      expect((error as Error).message).toContain('"openrouter"');
      expect((error as Error).message).toContain("OPENROUTER_KEY");
    });

    it("lists them after the default provider as source config, showing whether the secret is set, never the key", async () => {
      const list = await withSettings({ secrets: {} }).list();
      expect(list.map((p) => [p.name, p.source, p.has_api_key])).toEqual([
        ["default", "config", true],
        ["openrouter", "config", false],
        ["ollama", "config", false],
        ["router", "api", true],
      ]);
      const withKey = await withSettings().find("openrouter");
      expect(withKey).toEqual({
        name: "openrouter",
        base_url: "http://127.0.0.1:4/v1",
        type: "openai-compatible",
        allowed_fails: null,
        cooldown_s: null,
        models: openrouter.models,
        default_model: null,
        has_api_key: true,
        source: "config",
        created_at: null,
        updated_at: null,
      });
      expect(JSON.stringify(await withSettings().list())).not.toMatch(/or-key|config-key|router-key/);
    });

    it("hides a registered provider of the same name behind the configured one", async () => {
      const registry = withSettings({ stored: [{ ...router, name: "openrouter" }] });
      expect((await registry.lookup("openrouter"))?.apiKey).toBe("or-key");
      expect((await registry.list()).filter((p) => p.name === "openrouter").map((p) => p.source)).toEqual(["config"]);
      expect((await registry.find("openrouter"))?.source).toBe("config");
    });

    it("counts them as owned by configuration, without making them the default", () => {
      const registry = withSettings();
      expect(registry.fromConfig("openrouter")).toBe(true);
      expect(registry.fromConfig("default")).toBe(true);
      expect(registry.fromConfig("router")).toBe(false);
      expect(registry.isConfigured("openrouter")).toBe(false);
    });

    it("answers every lookup and listing with the configuration error while LLM_PROVIDERS is invalid", async () => {
      const registry = providerRegistry({ configured, settingsError: "LLM_PROVIDERS is invalid: LLM_PROVIDERS[0].base_url: bad", store: store(router), openKey });
      for (const attempt of [registry.lookup(undefined), registry.lookup("router"), registry.list(), registry.find("router")]) {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ type: "config_invalid", message: "LLM_PROVIDERS is invalid: LLM_PROVIDERS[0].base_url: bad" });
      }
    });
  });
});
