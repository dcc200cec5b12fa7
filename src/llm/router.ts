/**
 * The router: the LLM and embeddings effects over every configured backend. For each call it
 * takes the pool (pool.ts), puts it in the order of the policy (the task's, else its group's,
 * else the deployment's; policies.ts), passes over the candidates that cannot serve it, and
 * tries the rest in order:
 *
 * - capability: a call that offers tools needs a model with `tools`, an embeddings call one
 *   with `embeddings`; a streamed call prefers models with `streaming`;
 * - context: a prompt (plus `max_tokens`) over a model's `context_length` goes to a model with
 *   enough context. When none has, a chain with a `token_limit` has its conversation trimmed to
 *   the model's context — the effective limit is the smaller of the two — and any other call
 *   fails saying so;
 * - health: a backend cooling down (health.ts) is passed over while another remains.
 *
 * A call that fails on one backend for the backend's sake (unreachable, timed out, 5xx, 429)
 * moves on to the next candidate within the same attempt; the task's retry policy counts only
 * the attempt that failed on all of them. A refused request (auth, validation) fails at once,
 * without failover or a mark against the backend; so does a reply that has already streamed
 * tokens to the caller. Every answer and every error carries its routing facts.
 */
import type { ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, Embeddings, LLM } from "../engine/effects";
import { EngineError } from "../engine/errors";
import { withRouting, type Backend, type Routing, type RoutingPolicy, type SkipReason } from "../engine/routing";
import { countMessageTokens, fitToTokenLimit } from "../engine/tokens";
import { chatWith } from "./client";
import { embedWith } from "./embeddings";
import { retryAfterMs } from "./errors";
import { isCooling, type Outcome } from "./health";
import { POLICIES } from "./policies";
import { poolFor, type Candidate, type Catalog, type Pool, type PoolTarget } from "./pool";
import type { Capability, Provider } from "./provider";
import type { RoutingDefaults } from "./routing-defaults";
import type { HealthRemote, RoutingState } from "./routing-state";

/** One call to one backend; the router's tests give their own. */
export interface BackendCalls {
  chat: typeof chatWith;
  embed: typeof embedWith;
}

export interface RouterOptions {
  /** What is configured; `fresh` skips any cache (asked when the cached copy cannot place a call). */
  catalog: (fresh: boolean) => Promise<Catalog>;
  /** A provider ready to call, its key opened; undefined when it is gone. */
  open: (name: string) => Promise<Provider | undefined>;
  state: RoutingState;
  remote: () => HealthRemote;
  defaults: RoutingDefaults;
  calls?: BackendCalls;
  now?: () => number;
  random?: () => number;
}

type Skip = Routing["skipped"][number];

/** The candidates a call may try, in order, with those passed over and why. */
interface Plan {
  routing: Routing;
  tries: Candidate[];
}

/** One try on one backend; `firstByte` marks when the answer started arriving (the latency sample). */
type Attempt<T> = (provider: Provider, candidate: Candidate, firstByte: () => void) => Promise<T>;

export function router(options: RouterOptions): { llm: LLM; embeddings: Embeddings } {
  const calls = options.calls ?? { chat: chatWith, embed: embedWith };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const { state, remote } = options;

  async function plan(target: PoolTarget & { routing?: RoutingPolicy }, admit: (candidates: Candidate[], skipped: Skip[]) => Candidate[]): Promise<Plan> {
    await state.ready(remote);
    state.sync(remote);
    const pool = await poolOf(target);
    const policy = target.routing ?? pool.policy ?? options.defaults.policy;
    const poolKey = pool.group ? `group:${pool.group}` : `${target.model ?? ""}|${[target.provider, ...(target.providers ?? [])].join(",")}`;
    const at = now();
    const ordered = POLICIES[policy](pool.candidates, { health: (p) => state.health(p), turn: () => state.nextTurn(poolKey), random, now: at });
    const skipped: Skip[] = [];
    const admitted = admit(ordered, skipped);
    const tries = healthy(admitted, skipped, at);
    return { routing: { policy, ...(pool.group ? { group: pool.group } : {}), candidates: ordered.map(backendOf), skipped, served_by: null }, tries };
  }

  /** The pool from the cached catalog, or from a fresh one when the cached copy cannot place the call (a provider or group added since). */
  async function poolOf(target: PoolTarget): Promise<Pool> {
    let cached: Pool | undefined;
    try {
      cached = poolFor(await options.catalog(false), target);
      if (!cached.fallback) return cached;
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
    }
    return poolFor(await options.catalog(true), target);
  }

  /** Drops the candidates cooling down while one that is not remains; with none, tries them all, the soonest back first. */
  function healthy(candidates: Candidate[], skipped: Skip[], at: number): Candidate[] {
    const cooling = (c: Candidate) => isCooling(state.health(c.provider.name), at);
    if (!candidates.every(cooling)) {
      for (const c of candidates.filter(cooling)) {
        const health = state.health(c.provider.name);
        skipped.push(skip(c, "cooldown", `cooling down until ${new Date(health.cooling_until!).toISOString()} after ${health.failures} failures in a row (last: ${health.last_error})`));
      }
      return candidates.filter((c) => !cooling(c));
    }
    return [...candidates].sort((a, b) => state.health(a.provider.name).cooling_until! - state.health(b.provider.name).cooling_until!);
  }

  async function run<T extends { routing?: Routing }>(planned: Plan, attempt: Attempt<T>, canFailOver: () => boolean, signal: AbortSignal | undefined): Promise<T> {
    const { routing, tries } = planned;
    let last: unknown;
    for (const candidate of tries) {
      const name = candidate.provider.name;
      const provider = await options.open(name);
      if (!provider) {
        routing.skipped.push(skip(candidate, "failed", "the provider is no longer configured"));
        continue;
      }
      const started = now();
      let first: number | undefined;
      state.begin(name);
      try {
        const answer = await attempt(provider, candidate, () => (first ??= now()));
        state.end(name, { provider: name, at: now(), ok: true, ttft_ms: (first ?? now()) - started }, remote);
        return { ...answer, routing: { ...routing, served_by: backendOf(candidate) } };
      } catch (error) {
        const failed = error instanceof EngineError && error.options.retryable === true && error.type !== "cancelled" && !signal?.aborted;
        state.end(name, failed ? failure(candidate, error, options.defaults, now()) : undefined, remote);
        if (!failed) throw error instanceof Error ? withRouting(error, routing) : error;
        routing.skipped.push(skip(candidate, "failed", `${error.type}: ${error.message}`));
        last = error;
        if (!canFailOver()) break;
      }
    }
    const error = last instanceof Error ? last : new EngineError("no_backend", "No candidate backend is configured any more.", { retryable: false });
    throw withRouting(error, routing);
  }

  const llm: LLM = {
    async chat(request, signal, onDelta) {
      const wanted: Capability[] = request.tools?.length ? ["chat", "tools"] : ["chat"];
      const target = { kind: "chat" as const, model: request.model || undefined, provider: request.provider, providers: request.providers, routing: request.routing };
      const planned = await plan(target, (ordered, skipped) => {
        const capable = preferStreaming(withCapabilities(ordered, wanted, skipped, request.model), onDelta !== undefined);
        return withContext(capable, request, skipped);
      });
      const needed = countMessageTokens(request.messages);
      let streamed = false;
      const attempt: Attempt<ChatResponse> = (provider, candidate, firstByte) => {
        const room = budget(candidate, request);
        const messages = needed <= room ? request.messages : fitToTokenLimit(request.messages, room, "truncate");
        const relay = onDelta && ((text: string) => (firstByte(), (streamed = true), onDelta(text)));
        return calls.chat(provider, { ...request, messages, model: candidate.model }, signal, relay).finally(firstByte);
      };
      return run(planned, attempt, () => !streamed, signal);
    },
  };

  const embeddings: Embeddings = {
    async embed(request, signal) {
      const target = { kind: "embeddings" as const, model: request.model || undefined, provider: request.provider, providers: request.providers, routing: request.routing };
      const planned = await plan(target, (ordered, skipped) => withCapabilities(ordered, ["embeddings"], skipped, request.model));
      const attempt: Attempt<EmbedResponse> = (provider, candidate, firstByte) => calls.embed(provider, { ...request, model: candidate.model }, signal).finally(firstByte);
      return run(planned, attempt, () => true, signal);
    },
  };

  return { llm, embeddings };
}

/** A model the provider does not list is assumed to do everything. */
function withCapabilities(candidates: Candidate[], wanted: Capability[], skipped: Skip[], model: string | undefined): Candidate[] {
  const lacks = (c: Candidate) => wanted.filter((w) => c.info !== undefined && !c.info.capabilities.includes(w));
  for (const c of candidates) if (lacks(c).length > 0) skipped.push(skip(c, "capability", `the model lacks ${lacks(c).join(", ")}`));
  const capable = candidates.filter((c) => lacks(c).length === 0);
  if (capable.length > 0) return capable;
  throw new EngineError(
    "no_capable_model",
    `No backend for ${model ? `"${model}"` : "this call"} supports ${wanted.join(" and ")} (${candidates.map((c) => `${c.provider.name}/${c.model}: ${c.info?.capabilities.join(", ")}`).join("; ")}); declare the capability in the provider's models, or choose another model.`,
    { retryable: false },
  );
}

function preferStreaming(candidates: Candidate[], streaming: boolean): Candidate[] {
  if (!streaming) return candidates;
  const streams = (c: Candidate) => c.info === undefined || c.info.capabilities.includes("streaming");
  return [...candidates.filter(streams), ...candidates.filter((c) => !streams(c))];
}

/**
 * The candidates whose context holds the prompt; when none does, all of them if the chain trims
 * its conversation to a `token_limit` (each try trims to its model's context), else an error.
 */
function withContext(candidates: Candidate[], request: ChatRequest, skipped: Skip[]): Candidate[] {
  const needed = countMessageTokens(request.messages);
  const fits = (c: Candidate) => needed <= budget(c, request);
  if (candidates.some(fits)) {
    for (const c of candidates.filter((c) => !fits(c))) skipped.push(skip(c, "context", `~${needed} prompt tokens${outputNote(request)} exceed its context of ${c.info?.context_length}`));
    return candidates.filter(fits);
  }
  if (request.token_limit !== undefined && request.on_token_limit !== "fail") return candidates;
  const contexts = candidates.map((c) => `${c.provider.name}/${c.model}: ${c.info?.context_length}`).join(", ");
  throw new EngineError(
    "context_length_exceeded",
    `The prompt needs ~${needed} tokens${outputNote(request)}, more than the context of every backend that could serve it (${contexts}); use a model with a larger context, or give the chain a token_limit so the conversation is trimmed to fit.`,
    { retryable: false },
  );
}

/** The prompt tokens a candidate can take: its context less the tokens kept for the reply. */
function budget(candidate: Candidate, request: ChatRequest): number {
  const context = candidate.info?.context_length;
  return context === undefined ? Number.POSITIVE_INFINITY : context - (request.max_tokens ?? 0);
}

function outputNote(request: ChatRequest): string {
  return request.max_tokens ? ` plus max_tokens ${request.max_tokens}` : "";
}

function failure(candidate: Candidate, error: EngineError, defaults: RoutingDefaults, at: number): Outcome {
  const { allowed_fails, cooldown_s } = candidate.provider;
  const cooldown_ms = retryAfterMs(error, at) ?? (cooldown_s !== null ? cooldown_s * 1000 : defaults.cooldownMs);
  return { provider: candidate.provider.name, at, ok: false, error: `${error.type}: ${error.message}`, allowed_fails: allowed_fails ?? defaults.allowedFails, cooldown_ms };
}

function skip(candidate: Candidate, reason: SkipReason, detail: string): Skip {
  return { ...backendOf(candidate), reason, detail };
}

function backendOf(candidate: Candidate): Backend {
  return { provider: candidate.provider.name, model: candidate.model };
}
