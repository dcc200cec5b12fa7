import { describe, expect, it } from "vitest";
import { readProviderSettings } from "../../src/llm/provider-settings";

const openrouter = {
  name: "openrouter",
  base_url: "https://openrouter.ai/api/v1",
  models: [{ id: "meta/llama-3.1-70b", context_length: 131_072 }],
  api_key_secret: "OPENROUTER_KEY",
};

const read = (value: unknown, defaultName = "default") => readProviderSettings(value, defaultName);

describe("LLM_PROVIDERS", () => {
  it("reads a JSON array of providers, filling in model capabilities", () => {
    const settings = read(JSON.stringify([openrouter, { name: "local", base_url: "http://127.0.0.1:11434/v1", default_model: "llama3" }]));
    expect(settings.error).toBeUndefined();
    expect(settings.providers).toEqual([
      { ...openrouter, models: [{ id: "meta/llama-3.1-70b", context_length: 131_072, capabilities: ["chat", "tools", "streaming"] }] },
      { name: "local", base_url: "http://127.0.0.1:11434/v1", default_model: "llama3", models: [] },
    ]);
  });

  it("accepts the array itself, as a JSON var in wrangler.toml arrives", () => {
    expect(read([openrouter]).providers.map((p) => p.name)).toEqual(["openrouter"]);
  });

  it("means no extra providers when unset or empty", () => {
    for (const value of [undefined, ""]) {
      const settings = read(value);
      expect(settings.providers).toEqual([]);
      expect(settings.error).toBeUndefined();
    }
  });

  it("refuses text that is not JSON", () => {
    const settings = read("[{name: openrouter}]");
    expect(settings.providers).toEqual([]);
    expect(settings.error).toMatch(/^LLM_PROVIDERS is not valid JSON/);
  });

  it("names each bad field by its path", () => {
    const settings = read(JSON.stringify([openrouter, { name: "x", base_url: "ftp://example.com", models: [{ id: "m", capabilities: ["telepathy"] }] }]));
    expect(settings.providers).toEqual([]);
    expect(settings.error).toContain("LLM_PROVIDERS[1].base_url: base_url must be an http(s) URL");
    expect(settings.error).toContain("LLM_PROVIDERS[1].models[0].capabilities[0]:");
    expect(settings.error).not.toContain("LLM_PROVIDERS[0]");
  });

  it("refuses a key written into the JSON, without repeating it", () => {
    const settings = read(JSON.stringify([{ ...openrouter, api_key: "sk-leaked" }]));
    expect(settings.error).toContain("LLM_PROVIDERS[0].api_key: the key itself never goes in LLM_PROVIDERS");
    expect(settings.error).not.toContain("sk-leaked");
  });

  it("refuses an api_key_secret that cannot name a secret, and fields it does not know", () => {
    const settings = read(JSON.stringify([{ ...openrouter, api_key_secret: "sk-abc", apikey: "x" }]));
    expect(settings.error).toContain("LLM_PROVIDERS[0].api_key_secret: api_key_secret names a Worker secret or var");
    expect(settings.error).toMatch(/LLM_PROVIDERS\[0\]: Unrecognized key: "apikey"/);
  });

  it("refuses names taken by the default provider or by an earlier entry", () => {
    const named = (...names: string[]) => JSON.stringify(names.map((name) => ({ ...openrouter, name })));
    expect(read(named("default")).error).toContain(`LLM_PROVIDERS[0].name: "default" is already the default provider's name`);
    expect(read(named("openai"), "openai").error).toContain(`LLM_PROVIDERS[0].name: "openai" is already the default provider's name`);
    expect(read(named("a", "b", "a")).error).toContain(`LLM_PROVIDERS[2].name: "a" is already another provider's name`);
  });

  it("refuses a value that is not an array", () => {
    expect(read(JSON.stringify(openrouter)).error).toMatch(/^LLM_PROVIDERS is invalid: LLM_PROVIDERS: .*array/);
  });
});
