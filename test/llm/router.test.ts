import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/engine/chat";
import type { ChatRequest, ChatResponse, EmbedRequest } from "../../src/engine/effects";
import { EngineError } from "../../src/engine/errors";
import { routingOf } from "../../src/engine/routing";
import { statusError } from "../../src/llm/errors";
import type { Group } from "../../src/llm/groups";
import { HealthBook } from "../../src/llm/health";
import type { ProviderView } from "../../src/llm/provider-registry";
import { router } from "../../src/llm/router";
import { RoutingState } from "../../src/llm/routing-state";
import { catalogOf, providerView } from "./catalog";

/** What a fake backend does with a call: answer (optionally streaming), or fail. */
type Behaviour = (request: ChatRequest & { model: string }, onDelta?: (text: string) => void) => string | Error;

/** The router over fake backends, with the routing object's logic in memory and a clock the test moves. */
function setup(providers: ProviderView[], behaviours: Record<string, Behaviour>, options: { groups?: Group[]; policy?: "priority" | "round_robin" } = {}) {
  const clock = { now: 1_000_000 };
  const book = new HealthBook();
  const state = new RoutingState({ now: () => clock.now });
  const sent: Array<{ provider: string; model: string; messages: ChatMessage[] }> = [];
  const embedded: Array<{ provider: string; request: EmbedRequest }> = [];
  const { llm, embeddings } = router({
    catalog: async () => catalogOf(providers, { groups: options.groups, defaultName: providers[0]?.name }),
    open: async (name) => {
      const view = providers.find((p) => p.name === name);
      return view && { name, type: view.type, baseUrl: view.base_url, models: view.models };
    },
    state,
    remote: () => ({ report: async (report) => (book.apply(report, clock.now), book.snapshot(clock.now)) }),
    defaults: { policy: options.policy ?? "priority", allowedFails: 3, cooldownMs: 30_000 },
    now: () => clock.now,
    calls: {
      async chat(provider, request, _signal, onDelta): Promise<ChatResponse> {
        sent.push({ provider: provider.name, model: request.model, messages: request.messages });
        const outcome = behaviours[provider.name]!(request, onDelta);
        if (outcome instanceof Error) throw outcome;
        return { message: { role: "assistant", content: outcome }, model: request.model };
      },
      async embed(provider, request) {
        embedded.push({ provider: provider.name, request });
        return { vectors: request.input.map(() => [1, 0]), model: request.model, dimensions: 2, usage: { prompt_tokens: 1, total_tokens: 1 } };
      },
    },
  });
  return { llm, embeddings, clock, sent, embedded };
}

const answer = (text: string): Behaviour => () => text;
const down: Behaviour = () => statusError("down", 503, "Service Unavailable");
const ask = (request: Partial<ChatRequest> = {}): ChatRequest => ({ model: "m", messages: [{ role: "user", content: "hi" }], ...request });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EngineError)) throw new Error(`expected an EngineError, got ${String(error)}`);
  return error;
}

const both = [providerView("down", { models: ["m"] }), providerView("up", { models: ["m"] })];

describe("router", () => {
  it("moves a failed call on to the next backend within the same call, and says so", async () => {
    const { llm, sent } = setup(both, { down, up: answer("served") });
    const reply = await llm.chat(ask());
    expect(reply.message.content).toBe("served");
    expect(sent.map((s) => s.provider)).toEqual(["down", "up"]);
    expect(reply.routing).toMatchObject({
      policy: "priority",
      candidates: [
        { provider: "down", model: "m" },
        { provider: "up", model: "m" },
      ],
      skipped: [{ provider: "down", reason: "failed", detail: expect.stringContaining("503") }],
      served_by: { provider: "up", model: "m" },
    });
  });

  it("passes over a backend after allowed_fails failures until its cooldown ends, then probes it again", async () => {
    const { llm, sent, clock } = setup(both, { down, up: answer("ok") });
    for (let i = 0; i < 3; i++) await llm.chat(ask());
    await settle();
    sent.length = 0;
    const cooled = await llm.chat(ask());
    expect(sent.map((s) => s.provider)).toEqual(["up"]);
    expect(cooled.routing!.skipped).toEqual([{ provider: "down", model: "m", reason: "cooldown", detail: expect.stringMatching(/cooling down until .* after 3 failures/) }]);
    clock.now += 30_001;
    sent.length = 0;
    await llm.chat(ask());
    expect(sent.map((s) => s.provider)).toEqual(["down", "up"]);
    sent.length = 0;
    await llm.chat(ask());
    expect(sent.map((s) => s.provider)).toEqual(["up"]);
  });

  it("cools down for as long as the backend's retry-after asks", async () => {
    const limited: Behaviour = () => statusError("down", 429, "slow down", "120");
    const { llm, sent, clock } = setup(both, { down: limited, up: answer("ok") });
    for (let i = 0; i < 3; i++) await llm.chat(ask());
    clock.now += 60_000;
    sent.length = 0;
    await llm.chat(ask());
    expect(sent.map((s) => s.provider)).toEqual(["up"]);
  });

  it("still tries the backends when every one of them is cooling down", async () => {
    const { llm, sent } = setup([both[0]!], { down });
    for (let i = 0; i < 4; i++) await rejection(llm.chat(ask()));
    expect(sent).toHaveLength(4);
  });

  it("neither fails over nor marks the backend when it refuses the request", async () => {
    const refused: Behaviour = () => statusError("down", 401, "bad key");
    const { llm, sent } = setup(both, { down: refused, up: answer("ok") });
    for (let i = 0; i < 4; i++) {
      const error = await rejection(llm.chat(ask()));
      expect(error.type).toBe("provider_auth");
      expect(routingOf(error)).toMatchObject({ served_by: null, skipped: [] });
    }
    expect(sent.map((s) => s.provider)).toEqual(["down", "down", "down", "down"]);
  });

  it("does not fail over once tokens have reached the caller", async () => {
    const halfway: Behaviour = (_request, onDelta) => (onDelta?.("partial"), statusError("down", 502, "dropped"));
    const { llm, sent } = setup(both, { down: halfway, up: answer("ok") });
    const error = await rejection(llm.chat(ask(), undefined, () => undefined));
    expect(error.type).toBe("provider_error");
    expect(sent.map((s) => s.provider)).toEqual(["down"]);
  });

  it("fails with every backend's failure recorded when none answers, for the retry policy to count one attempt", async () => {
    const { llm } = setup(both, { down, up: down });
    const error = await rejection(llm.chat(ask()));
    expect(error.options.retryable).toBe(true);
    expect(routingOf(error)!.skipped.map((s) => [s.provider, s.reason])).toEqual([
      ["down", "failed"],
      ["up", "failed"],
    ]);
  });

  it("routes a call that offers tools only to models with the tools capability", async () => {
    const providers = [providerView("plain", { models: [{ id: "m", capabilities: ["chat", "streaming"] }] }), providerView("agent", { models: ["m"] })];
    const { llm, sent } = setup(providers, { plain: answer("no"), agent: answer("yes") });
    const reply = await llm.chat(ask({ tools: [{ name: "t", parameters: {} }] }));
    expect(reply.message.content).toBe("yes");
    expect(reply.routing!.skipped).toEqual([{ provider: "plain", model: "m", reason: "capability", detail: "the model lacks tools" }]);
    expect(sent.map((s) => s.provider)).toEqual(["agent"]);
    const none = setup([providers[0]!], { plain: answer("no") });
    expect((await rejection(none.llm.chat(ask({ tools: [{ name: "t", parameters: {} }] })))).type).toBe("no_capable_model");
  });

  it("prefers a streaming model for a streamed call", async () => {
    const providers = [providerView("batch", { models: [{ id: "m", capabilities: ["chat"] }] }), providerView("live", { models: ["m"] })];
    const { llm } = setup(providers, { batch: answer("whole"), live: answer("streamed") });
    expect((await llm.chat(ask(), undefined, () => undefined)).routing!.served_by).toEqual({ provider: "live", model: "m" });
    expect((await llm.chat(ask())).routing!.served_by).toEqual({ provider: "batch", model: "m" });
  });

  describe("context windows", () => {
    const long = ask({ messages: [{ role: "user", content: "word ".repeat(2000) }] });
    const windows = [providerView("small", { models: [{ id: "m", context_length: 1024, capabilities: ["chat"] }] }), providerView("large", { models: [{ id: "m", context_length: 32_768, capabilities: ["chat"] }] })];

    it("sends a prompt too long for one model to a member with enough context", async () => {
      const { llm, sent } = setup(windows, { small: answer("small"), large: answer("large") });
      const reply = await llm.chat(long);
      expect(reply.message.content).toBe("large");
      expect(reply.routing!.skipped).toEqual([{ provider: "small", model: "m", reason: "context", detail: expect.stringMatching(/^~\d+ prompt tokens exceed its context of 1024$/) }]);
      expect(sent.map((s) => s.provider)).toEqual(["large"]);
      expect((await llm.chat(ask())).message.content).toBe("small");
    });

    it("fails clearly when no member has enough context", async () => {
      const { llm, sent } = setup([windows[0]!], { small: answer("small") });
      const error = await rejection(llm.chat(long));
      expect(error.type).toBe("context_length_exceeded");
      expect(error.message).toContain("small/m: 1024");
      expect(sent).toEqual([]);
    });

    it("trims a chain's conversation to the model's context when it is smaller than the chain's token_limit", async () => {
      const history: ChatMessage[] = [
        { role: "user", content: "old ".repeat(2000) },
        { role: "assistant", content: "noted" },
        { role: "user", content: "newest question" },
      ];
      const { llm, sent } = setup([windows[0]!], { small: answer("small") });
      await llm.chat(ask({ messages: history, token_limit: 100_000 }));
      expect(sent[0]!.messages).toEqual(history.slice(1));
      expect((await rejection(llm.chat(ask({ messages: history, token_limit: 100_000, on_token_limit: "fail" })))).type).toBe("context_length_exceeded");
    });
  });

  it("round-robins a group's members, each asked for its own model", async () => {
    const providers = [providerView("a"), providerView("b")];
    const groups: Group[] = [{ name: "pair", members: [{ provider: "a", model: "small" }, { provider: "b", model: "large" }], policy: "round_robin" }];
    const { llm, sent } = setup(providers, { a: answer("a"), b: answer("b") }, { groups });
    for (let i = 0; i < 4; i++) await llm.chat(ask({ model: "group:pair" }));
    expect(sent.map((s) => `${s.provider}/${s.model}`)).toEqual(["a/small", "b/large", "a/small", "b/large"]);
    expect((await llm.chat(ask({ model: "group:pair", routing: "priority" }))).routing).toMatchObject({ policy: "priority", group: "pair" });
  });

  it("routes embeddings only to models with the embeddings capability", async () => {
    const providers = [providerView("chatty", { models: ["vec"] }), providerView("vectors", { models: [{ id: "vec", capabilities: ["embeddings"] }] })];
    const { embeddings, embedded } = setup(providers, {});
    const reply = await embeddings.embed({ model: "vec", input: ["a", "b"] });
    expect(reply.vectors).toHaveLength(2);
    expect(embedded.map((e) => e.provider)).toEqual(["vectors"]);
    expect(reply.routing!.skipped).toMatchObject([{ provider: "chatty", reason: "capability" }]);
  });
});
