/**
 * Model routing over HTTP, against real backends: the shared scripted mock LLM and more mock
 * servers started here (one that fails every call, one that answers 200 ms late). Pools,
 * policies, cooldowns and failover across runs, context windows, groups, model discovery,
 * backend types (a server of its own whose default provider is an Ollama server), and the
 * routing facts each step records.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startMockLLM, type MockLLM } from "../mocks/llm-server";
import { api, eventually, llm, runSteps, unique } from "./client";
import { startDevServer, type DevServer } from "./dev-server";

const name = (label: string) => unique(label).replace(/[^A-Za-z0-9_.-]/g, "-");

function chatChain(model: string, executeConfig: Record<string, unknown> = {}) {
  return { id: "routed", tasks: [{ id: "chat", handler: "chat_completion", execute_config: { model, ...executeConfig } }] };
}

async function register(body: Record<string, unknown>): Promise<void> {
  const res = await api().post("/providers", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function run(chain: unknown, input: unknown = "hello") {
  const res = await api().post("/runs?wait=true", { chain, input });
  expect(res.status).toBe(200);
  return res.body;
}

let failing: MockLLM;
let slow: MockLLM;

beforeAll(async () => {
  [failing, slow] = await Promise.all([startMockLLM(), startMockLLM()]);
});

afterAll(async () => {
  await Promise.all([failing?.close(), slow?.close()]);
});

describe("pools, health and failover", () => {
  it("keeps 20 runs succeeding while one of two backends fails every call, cooling it down for every run, then probing it again", async () => {
    const model = name("pooled");
    const bad = name("a-bad");
    const good = name("b-good");
    const cooldownMs = 8_000;
    failing.script(model, [{ status: 503, error: { message: "overloaded" } }], { repeat: true });
    await llm().script(model, [{ content: "served" }], { repeat: true });
    await register({ name: bad, base_url: failing.url, models: [{ id: model }], allowed_fails: 3, cooldown_s: cooldownMs / 1000 });
    await register({ name: good, base_url: inject("llmUrl"), models: [{ id: model }] });
    const chain = chatChain(model, { routing: "round_robin" });

    const runs = [];
    for (let i = 0; i < 20; i++) runs.push(await run(chain));
    expect(runs.map((r) => r.status)).toEqual(Array(20).fill("succeeded"));

    const tries = failing.requests(model);
    const cooledAt = tries[2]!.at;
    expect(tries.filter((t) => t.at < cooledAt + cooldownMs)).toHaveLength(3);

    const steps = (await Promise.all(runs.map((r) => runSteps(api(), r.id)))).map((s) => s[0]);
    expect(steps.every((s) => s.attempt === 1 && s.routing.served_by.provider === good)).toBe(true);
    expect(steps.filter((s) => s.routing.skipped.some((k: { reason: string }) => k.reason === "failed"))).toHaveLength(3);
    const cooled = steps.filter((s) => s.routing.skipped.some((k: { reason: string }) => k.reason === "cooldown"));
    expect(cooled.length).toBeGreaterThan(0);
    expect(cooled[0].routing).toMatchObject({ policy: "round_robin", candidates: expect.arrayContaining([{ provider: bad, model }, { provider: good, model }]) });

    const health = (await api().get(`/providers/${bad}`)).body.health;
    if (Date.now() < cooledAt + cooldownMs) expect(health.cooling_down_until).not.toBeNull();
    expect(health).toMatchObject({ recent_failures: 3, last_error: expect.stringContaining("503") });

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, cooledAt + cooldownMs - Date.now()) + 100));
    const before = failing.requests(model).length;
    // Round robin puts the cooled-down backend first in one of any two runs: that run probes it.
    const probes = [await run(chain), await run(chain)];
    expect(probes.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
    expect(failing.requests(model)).toHaveLength(before + 1);
    const probeSteps = (await Promise.all(probes.map((r) => runSteps(api(), r.id)))).flat();
    expect(probeSteps.flatMap((s) => s.routing.skipped.map((k: { provider: string; reason: string }) => [k.provider, k.reason]))).toContainEqual([bad, "failed"]);
  });

  it("sends at least 90% of calls to the faster backend under least_latency once both are measured", async () => {
    const model = name("latency");
    const fast = name("fast");
    const late = name("late");
    slow.script(model, [{ content: "slow", delay_ms: 200 }], { repeat: true });
    await llm().script(model, [{ content: "fast" }], { repeat: true });
    await register({ name: late, base_url: slow.url, models: [{ id: model }] });
    await register({ name: fast, base_url: inject("llmUrl"), models: [{ id: model }] });
    const chain = chatChain(model, { routing: "least_latency" });
    for (let i = 0; i < 2; i++) await run(chain);

    const outputs = [];
    for (let i = 0; i < 20; i++) outputs.push((await run(chain)).output.messages.at(-1).content);
    expect(outputs.filter((o) => o === "fast").length).toBeGreaterThanOrEqual(18);
    const { body } = await eventually(() => api().get(`/providers/${late}`), (res) => res.body.health.latency_ms !== null, "the slow backend's latency to be reported");
    const fastHealth = (await api().get(`/providers/${fast}`)).body.health;
    expect(body.health.latency_ms).toBeGreaterThan(fastHealth.latency_ms + 150);
  });

  it("picks the member with the largest context under highest_context", async () => {
    const provider = name("ctx");
    await register({
      name: provider,
      base_url: inject("llmUrl"),
      models: [
        { id: `${provider}-8k`, context_length: 8192 },
        { id: `${provider}-128k`, context_length: 131_072 },
      ],
    });
    const group = name("wide");
    const created = await api().post("/groups", {
      name: group,
      members: [
        { provider, model: `${provider}-8k` },
        { provider, model: `${provider}-128k` },
      ],
      policy: "highest_context",
    });
    expect(created.status).toBe(201);
    const done = await run(chatChain(`group:${group}`));
    const [step] = await runSteps(api(), done.id);
    expect(step.routing).toMatchObject({ policy: "highest_context", group, served_by: { provider, model: `${provider}-128k` } });
  });

  it("sends a prompt too long for one backend's context to one with enough, and fails clearly when none has", async () => {
    const model = name("window");
    const small = name("a-small");
    const large = name("b-large");
    await register({ name: small, base_url: inject("llmUrl"), models: [{ id: model, context_length: 512 }] });
    await register({ name: large, base_url: inject("llmUrl"), models: [{ id: model, context_length: 32_768 }] });
    const long = "lorem ipsum ".repeat(800);

    const short = await run(chatChain(model), "short question");
    expect((await runSteps(api(), short.id))[0].routing.served_by.provider).toBe(small);
    const fallback = await run(chatChain(model), long);
    const [step] = await runSteps(api(), fallback.id);
    expect(step.routing.served_by.provider).toBe(large);
    expect(step.routing.skipped).toEqual([{ provider: small, model, reason: "context", detail: expect.stringContaining("exceed its context of 512") }]);

    const tooLong = await api().post("/tasks", { chain: chatChain(model, { provider: small }), input: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ type: "context_length_exceeded", message: expect.stringContaining(`${small}/${model}: 512`) });
  });
});

describe("provider types", () => {
  /** A chain of the seed runtime, as written there: it names a backend type, not a provider. */
  const seedChain = {
    id: "seed-chat",
    tasks: [
      {
        id: "chat",
        handler: "model_execution",
        systemInstruction: "You are a helpful assistant.",
        execute_config: { model: "qwen2.5:7b", provider: "ollama" },
        transition: { branches: [{ operator: "default", when: "", goto: "end" }] },
      },
    ],
  };

  it("answers a chain naming a type nothing configured has with a 424 that lists the names and types, and the validator warns", async () => {
    const res = await api().post("/tasks", { chain: seedChain, input: "hi" });
    expect(res.status).toBe(424);
    expect(res.body.error.type).toBe("unknown_provider");
    expect(res.body.error.message).toContain("default (openai-compatible)");
    expect(res.body.error.message).toContain("ollama");
    expect(res.body.error.message).toContain("POST /providers");
    const execute = await api().post("/execute", { prompt: "hi", model_provider: "nowhere" });
    expect(execute.status).toBe(424);
    const validated = await api().post("/chains/validate", seedChain);
    expect(validated.body.problems).toContainEqual({ severity: "warning", path: "tasks[0].execute_config.provider", message: expect.stringContaining('names provider "ollama"') });
  });

  describe("on a server whose default provider is an Ollama server", () => {
    let server: DevServer;

    beforeAll(async () => {
      server = await startDevServer({ vars: { API_KEYS: inject("apiKey"), LLM_BASE_URL: inject("llmUrl"), LLM_PROVIDER_TYPE: "ollama", LLM_MODEL: "llama3.2", SECRETS_KEY: "k" } });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it("runs the seed chain unchanged, and shows the type", async () => {
      const before = (await llm().requests("qwen2.5:7b")).length;
      const res = await api(server.url).post("/tasks", { chain: seedChain, input: "hi there" });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.output.messages.at(-1).content).toBe("echo: hi there");
      expect(await llm().requests("qwen2.5:7b")).toHaveLength(before + 1);
      expect((await api(server.url).get("/providers/default")).body).toMatchObject({ type: "ollama" });
    });
  });
});

describe("model discovery", () => {
  it("lists an Ollama provider's models at registration, and again on sync, with their context lengths", async () => {
    const provider = name("disc");
    const first = name("first");
    const added = name("added");
    await llm().models([{ id: first, context_length: 4096 }]);
    const created = await api().post("/providers", { name: provider, base_url: inject("llmUrl"), type: "ollama" });
    expect(created.status).toBe(201);
    expect(created.body.sync).toEqual({ ok: true });
    expect(created.body.models).toContainEqual({ id: first, context_length: 4096, capabilities: ["chat", "streaming", "tools"] });

    await llm().models([{ id: added, context_length: 65_536, capabilities: ["embedding"] }]);
    const synced = await api().post(`/providers/${provider}/sync`);
    expect(synced.status).toBe(200);
    expect(synced.body.models).toContainEqual({ id: added, context_length: 65_536, capabilities: ["embeddings"] });
    expect(synced.body.models.map((m: { id: string }) => m.id)).not.toContain(first);
    await llm().models([]);
  });

  it("registers a backend it cannot reach without models, saying why, and refuses to sync a configured provider", async () => {
    const created = await api().post("/providers", { name: name("unreachable"), base_url: "http://127.0.0.1:9/v1" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ models: [], sync: { ok: false, error: expect.stringContaining("could not be reached") } });
    expect((await api().post("/providers/default/sync")).status).toBe(409);
    expect((await api().post(`/providers/${name("nobody")}/sync`)).status).toBe(404);
  });
});

describe("/groups", () => {
  it("registers, lists and deletes a group, refusing members whose provider is not configured", async () => {
    const group = name("grp");
    const bad = await api().post("/groups", { name: group, members: [{ provider: "nowhere", model: "m" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe("members[0].provider");
    const badPolicy = await api().post("/groups", { name: group, members: [{ provider: "default", model: "m" }], policy: "fastest" });
    expect(badPolicy.body.error.path).toBe("policy");

    const created = await api().post("/groups", { name: group, members: [{ provider: "default", model: "mock-model", weight: 2 }], policy: "random" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: group, members: [{ provider: "default", model: "mock-model", weight: 2 }], policy: "random", source: "api", created_at: expect.any(Number), updated_at: expect.any(Number) });
    expect((await api().post("/groups", created.body)).status).toBe(400);
    expect((await api().post("/groups", { name: group, members: [{ provider: "default", model: "x" }] })).status).toBe(409);
    expect((await api().get("/groups")).body.data).toContainEqual(created.body);
    expect((await api().get(`/groups/${group}`)).body).toEqual(created.body);
    expect((await api().delete(`/groups/${group}`)).status).toBe(204);
    expect((await api().get(`/groups/${group}`)).status).toBe(404);
    const gone = await api().post("/tasks", { chain: chatChain(`group:${group}`), input: "x" });
    expect(gone.status).toBe(424);
    expect(gone.body.error.type).toBe("unknown_group");
  });
});
