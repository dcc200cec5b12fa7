/**
 * The provider registry over HTTP: registering OpenAI-compatible providers with write-only
 * keys, listing them next to the configured one, and runs that use them.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, llm, unique } from "./client";

const uniqueName = (label: string) => unique(label).replace(/[^A-Za-z0-9_.-]/g, "-");

function provider(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    base_url: inject("llmUrl"),
    api_key: `sk-${name}-secret`,
    models: [{ id: `${name}-chat`, context_length: 8192, capabilities: ["chat", "tools", "streaming"] }],
    ...extra,
  };
}

describe("/providers", () => {
  it("registers a provider and never shows its key", async () => {
    const name = uniqueName("reg");
    const created = await api().post("/providers", provider(name));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name,
      base_url: inject("llmUrl"),
      type: "openai-compatible",
      allowed_fails: null,
      cooldown_s: null,
      models: [{ id: `${name}-chat`, context_length: 8192, capabilities: ["chat", "tools", "streaming"] }],
      default_model: null,
      has_api_key: true,
      source: "api",
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    const listed = await api().get("/providers");
    const one = await api().get(`/providers/${name}`);
    for (const body of [created.body, listed.body, one.body]) expect(JSON.stringify(body)).not.toContain("secret");
    expect(one.body).toMatchObject({ name, has_api_key: true });
  });

  it("lists the configured provider first, from LLM_BASE_URL / LLM_MODEL", async () => {
    const { body } = await api().get("/providers");
    expect(body.data[0]).toMatchObject({ name: "default", source: "config", base_url: inject("llmUrl"), has_api_key: true, default_model: "mock-model", models: [{ id: "mock-model" }] });
  });

  it("keeps the key when an update leaves it out and removes it on null", async () => {
    const name = uniqueName("upd");
    expect((await api().post("/providers", provider(name))).status).toBe(201);
    const kept = await api().put(`/providers/${name}`, { base_url: "http://127.0.0.1:9/v1", models: [] });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ base_url: "http://127.0.0.1:9/v1", has_api_key: true, models: [] });
    const removed = await api().put(`/providers/${name}`, { base_url: "http://127.0.0.1:9/v1", api_key: null });
    expect(removed.body.has_api_key).toBe(false);
    const fresh = await api().put(`/providers/${uniqueName("put")}`, { base_url: "http://127.0.0.1:9/v1" });
    expect(fresh.status).toBe(201);
  });

  it("registers a Workers AI provider, whose runs fail clearly where no AI binding exists", async () => {
    const name = uniqueName("wai");
    const created = await api().post("/providers", { name, base_url: "workers-ai", models: [{ id: "@cf/meta/llama-3.1-8b-instruct" }] });
    expect(created.status).toBe(201);
    const chain = { id: "wai-chain", tasks: [{ id: "ask", handler: "prompt_to_string", execute_config: { provider: name, model: "@cf/meta/llama-3.1-8b-instruct" } }] };
    const run = await api().post("/runs?wait=true", { chain, input: "hi" });
    expect(run.body.status).toBe("failed");
    expect(run.body.error.message).toMatch(/\[ai\] binding/);
  });

  it("refuses bad documents with the path, duplicates, and the configured provider's name", async () => {
    const name = uniqueName("bad");
    const badUrl = await api().post("/providers", provider(name, { base_url: "ftp://example.com" }));
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.path).toBe("base_url");
    const badCapability = await api().post("/providers", provider(name, { models: [{ id: "m", capabilities: ["telepathy"] }] }));
    expect(badCapability.body.error.path).toBe("models[0].capabilities[0]");
    expect((await api().get(`/providers/${name}`)).status).toBe(404);

    expect((await api().post("/providers", provider(name))).status).toBe(201);
    expect((await api().post("/providers", provider(name))).status).toBe(409);
    expect((await api().post("/providers", provider("default"))).status).toBe(409);
    expect((await api().delete("/providers/default")).status).toBe(409);
    const mismatch = await api().put(`/providers/${name}`, { name: "other", base_url: "http://127.0.0.1:9/v1" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.path).toBe("name");
  });

  it("deletes a registered provider", async () => {
    const name = uniqueName("del");
    expect((await api().post("/providers", provider(name))).status).toBe(201);
    expect((await api().delete(`/providers/${name}`)).status).toBe(204);
    expect((await api().get(`/providers/${name}`)).status).toBe(404);
    expect((await api().delete(`/providers/${name}`)).status).toBe(404);
  });

  it("offers a registered provider's models at /openai/:chain/v1/models", async () => {
    const name = uniqueName("listed");
    expect((await api().post("/providers", provider(name))).status).toBe(201);
    const { body } = await api().get("/openai/default-chain/v1/models");
    expect(body.data).toContainEqual({ id: `${name}-chat`, object: "model", created: 0, owned_by: name });
  });

  it("runs a chain on a registered provider chosen by model, sending its key", async () => {
    const name = uniqueName("used");
    const model = `${name}-chat`;
    expect((await api().post("/providers", provider(name))).status).toBe(201);
    await llm().script(model, [{ content: "served by the registered provider" }]);
    const client = new OpenAI({ baseURL: `${api().baseUrl}/openai/default-chain/v1`, apiKey: api().apiKey, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model, messages: [{ role: "user", content: "x" }] });
    expect(completion.choices[0]!.message.content).toBe("served by the registered provider");
    const [sent] = await llm().requests(model);
    expect(sent!.headers.authorization).toBe(`Bearer sk-${name}-secret`);
  });
});
