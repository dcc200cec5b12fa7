/**
 * Providers declared in LLM_PROVIDERS, on a server of its own: one points at the mock LLM with
 * its key in another var, one names a secret that is not set. A second server with an invalid
 * LLM_PROVIDERS shows the mistake reported, not skipped.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, llm, unique } from "./client";
import { startDevServer, type DevServer } from "./dev-server";

const SECOND_KEY = "sk-second-from-config";

const baseVars = () => ({ API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_API_KEY: "default-key", LLM_MODEL: "mock-model", SECRETS_KEY: "k" });

const ask = (provider: string, model: string) => ({
  id: "ask-config-provider",
  tasks: [{ id: "ask", handler: "prompt_to_string", execute_config: { provider, model } }],
});

describe("providers from LLM_PROVIDERS", () => {
  let server: DevServer;

  beforeAll(async () => {
    const providers = [
      { name: "second", base_url: inject("llmUrl"), models: [{ id: "second-chat", context_length: 4096 }], api_key_secret: "SECOND_KEY" },
      { name: "unkeyed", base_url: inject("llmUrl"), api_key_secret: "NOT_SET_KEY" },
    ];
    server = await startDevServer({ vars: { ...baseVars(), LLM_PROVIDERS: JSON.stringify(providers), SECOND_KEY } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("runs a chain on the provider named in execute_config, sending the key from the secret it names", async () => {
    const model = unique("second");
    await llm().script(model, [{ content: "answered by second" }]);
    const run = await api(server.url).post("/runs?wait=true", { chain: ask("second", model), input: "hi" });
    expect(run.body.status).toBe("succeeded");
    expect(run.body.output).toBe("answered by second");
    const [sent] = await llm().requests(model);
    expect(sent!.headers.authorization).toBe(`Bearer ${SECOND_KEY}`);
  });

  it("lists them after the default provider as source config, without their keys", async () => {
    const { status, body } = await api(server.url).get("/providers");
    expect(status).toBe(200);
    expect(body.data.map((p: { name: string; source: string }) => [p.name, p.source])).toEqual([
      ["default", "config"],
      ["second", "config"],
      ["unkeyed", "config"],
    ]);
    expect(body.data[1]).toEqual({
      name: "second",
      base_url: inject("llmUrl"),
      type: "openai-compatible",
      allowed_fails: null,
      cooldown_s: null,
      models: [{ id: "second-chat", context_length: 4096, capabilities: ["chat", "tools", "streaming"] }],
      default_model: null,
      has_api_key: true,
      source: "config",
      created_at: null,
      updated_at: null,
      health: expect.objectContaining({ cooling_down_until: null, recent_failures: 0 }),
    });
    expect(body.data[2].has_api_key).toBe(false);
    expect(JSON.stringify(body)).not.toContain(SECOND_KEY);
    expect((await api(server.url).get("/providers/second")).body).toEqual(body.data[1]);
  });

  it("refuses to replace or delete them through the API", async () => {
    const client = api(server.url);
    const attempts = [
      await client.post("/providers", { name: "second", base_url: "http://127.0.0.1:9/v1" }),
      await client.put("/providers/second", { base_url: "http://127.0.0.1:9/v1" }),
      await client.delete("/providers/second"),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain("LLM_PROVIDERS");
    }
    expect((await client.get("/providers/second")).body.base_url).toBe(inject("llmUrl"));
  });

  it("fails a run on a provider whose named secret is not set, saying which secret", async () => {
    const run = await api(server.url).post("/runs?wait=true", { chain: ask("unkeyed", unique("unkeyed")), input: "hi" });
    expect(run.body.status).toBe("failed");
    expect(run.body.error.type).toBe("provider_key_missing");
    expect(run.body.error.message).toContain("NOT_SET_KEY");
  });
});

describe("an invalid LLM_PROVIDERS", () => {
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer({ vars: { ...baseVars(), LLM_PROVIDERS: JSON.stringify([{ name: "bad", base_url: "not a url" }]) } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("is reported by GET /providers with the bad field", async () => {
    const { status, body } = await api(server.url).get("/providers");
    expect(status).toBe(500);
    expect(body.error.type).toBe("config_invalid");
    expect(body.error.message).toContain("LLM_PROVIDERS[0].base_url");
  });

  it("fails runs that need a provider, rather than going on without the configured ones", async () => {
    const run = await api(server.url).post("/runs?wait=true", { chain: ask("default", unique("invalid")), input: "hi" });
    expect(run.body.status).toBe("failed");
    expect(run.body.error).toMatchObject({ type: "config_invalid" });
    expect(run.body.error.message).toContain("LLM_PROVIDERS[0].base_url");
  });

  it("is reported in OpenAI's error shape by the OpenAI routes too", async () => {
    const res = await api(server.url).get("/openai/default-chain/v1/models");
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: "config_invalid" });
    expect(res.body.error.message).toContain("LLM_PROVIDERS[0].base_url");
  });
});
