/**
 * Test doubles for the engine's effects: a scripted LLM that answers in order and records every
 * request, embeddings that record theirs, the real tool registry over plain functions, a sandbox
 * backed by a function, and a fixed clock. Plus builders for handler contexts and chains, so
 * tests state only what matters.
 */

import { initialState } from "../../src/engine/step";
import type { Chain, Task } from "../../src/engine/chain";
import type { ChatMessage, ToolCall, ToolSpec, Usage } from "../../src/engine/chat";
import type { ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, Embeddings, Effects, LLM, Sandbox, SandboxEnvelope, ToolCallContext, Tools } from "../../src/engine/effects";
import { EngineError } from "../../src/engine/errors";
import type { HandlerContext } from "../../src/engine/handlers/types";
import type { RunState } from "../../src/engine/run-state";
import { toolRegistry } from "../../src/tools/registry";
import type { ToolEntry, ToolRegistry } from "../../src/tools/types";

export const USAGE: Usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

/** One scripted LLM turn: an answer, an error to throw, or a function of the request. */
export type Scripted = ChatMessage | EngineError | ((request: ChatRequest, signal?: AbortSignal) => Promise<ChatMessage> | ChatMessage);

export function say(text: string): ChatMessage {
  return { role: "assistant", content: text };
}

export function callTools(...calls: Array<[name: string, args: unknown]>): ChatMessage {
  const tool_calls: ToolCall[] = calls.map(([name, args], index) => ({
    id: `call_${index + 1}`,
    type: "function",
    function: { name, arguments: typeof args === "string" ? args : JSON.stringify(args) },
  }));
  return { role: "assistant", content: null, tool_calls };
}

/** A provider failure as the LLM client reports it, e.g. `providerError(503)`. */
export function providerError(status: number): EngineError {
  const retryable = status === 429 || status >= 500;
  return new EngineError("provider_error", `provider answered HTTP ${status}`, { retryable, status });
}

export class FakeLLM implements LLM {
  readonly requests: ChatRequest[] = [];
  readonly signals: Array<AbortSignal | undefined> = [];
  private readonly script: Scripted[];

  constructor(script: Scripted[]) {
    this.script = [...script];
  }

  get remaining(): number {
    return this.script.length;
  }

  async chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatResponse> {
    this.requests.push(structuredClone(request));
    this.signals.push(signal);
    const next = this.script.shift();
    if (next === undefined) throw new Error(`fake LLM: no scripted reply for request ${this.requests.length}`);
    if (next instanceof EngineError) throw next;
    const message = typeof next === "function" ? await next(request, signal) : next;
    return { message, model: request.model ?? "fake-model", usage: USAGE, finish_reason: message.tool_calls ? "tool_calls" : "stop" };
  }
}

export type ToolImpl = (args: unknown, ctx: ToolCallContext) => unknown;

/**
 * The tool registry a run gets (`toolRegistry`: grants, argument checks against each tool's
 * schema, its refusals), over plain functions; a tool's schema is `{ type: "object" }` unless
 * given. One difference: a function that throws makes `call` throw (the real registry answers
 * `{ error }`), so tests can show what the engine does when the tools effect itself fails.
 */
export class FakeTools implements Tools {
  readonly calls: Array<{ name: string; args: unknown; ctx: ToolCallContext }> = [];
  private readonly registry: ToolRegistry;
  /** What a function threw during the current call. */
  private readonly thrown: unknown[] = [];

  constructor(impls: Record<string, ToolImpl> = {}, schemas: Record<string, ToolSpec["parameters"]> = {}) {
    const entries: ToolEntry[] = Object.entries(impls).map(([name, impl]) => ({
      spec: { name, description: `the ${name} tool`, parameters: schemas[name] ?? { type: "object" } },
      service: name,
      call: async (args, ctx) => {
        this.calls.push({ name, args, ctx });
        try {
          return await impl(args, ctx);
        } catch (error) {
          this.thrown.push(error);
          throw error;
        }
      },
    }));
    this.registry = toolRegistry([{ entries: async () => entries }]);
  }

  list(grant: string[] | undefined): Promise<ToolSpec[]> {
    return this.registry.list(grant);
  }

  missing(grant: string[]): Promise<string[]> {
    return this.registry.missing(grant);
  }

  async call(name: string, args: unknown, ctx: ToolCallContext): Promise<unknown> {
    this.thrown.length = 0;
    const result = await this.registry.call(name, args, ctx);
    if (this.thrown.length > 0) throw this.thrown[0];
    return result;
  }
}

export class FakeSandbox implements Sandbox {
  readonly runs: Array<{ code: string; task: Task; runId: string }> = [];

  constructor(private readonly evaluate: (code: string) => { ok: boolean; result?: unknown; error?: string } = () => ({ ok: true })) {}

  async run(code: string, options: { task: Task; runId: string }): Promise<SandboxEnvelope> {
    this.runs.push({ code, task: options.task, runId: options.runId });
    const { ok, result, error } = this.evaluate(code);
    return { ok, result, error, logs: [], calls: [], code, duration_ms: 1 };
  }
}

export const NOW = Date.UTC(2024, 0, 2, 3, 4, 5);

/** Embeddings whose vector for a text is its length and its first char code, so tests can tell them apart. */
export class FakeEmbeddings implements Embeddings {
  readonly requests: EmbedRequest[] = [];

  async embed(request: EmbedRequest): Promise<EmbedResponse> {
    this.requests.push(structuredClone(request));
    const vectors = request.input.map((text) => [text.length, text.charCodeAt(0) || 0]);
    const tokens = request.input.length * 2;
    return { vectors, model: request.model ?? "fake-embedder", dimensions: 2, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  }
}

export function fakeEffects(parts: { llm?: LLM; embeddings?: Embeddings; tools?: Tools; sandbox?: Sandbox } = {}): Effects {
  return {
    llm: parts.llm ?? new FakeLLM([]),
    embeddings: parts.embeddings ?? new FakeEmbeddings(),
    tools: parts.tools ?? new FakeTools(),
    sandbox: parts.sandbox ?? new FakeSandbox(),
    clock: { now: () => NOW },
  };
}

export function chainOf(tasks: Task[], extra: Partial<Chain> = {}): Chain {
  return { id: "test-chain", tasks, ...extra };
}

/** A handler context for `task`, as the step function would build it for a fresh run. */
export function contextFor(
  task: Task,
  options: Partial<Omit<HandlerContext, "task" | "state" | "effects">> & { effects?: Partial<Effects>; state?: Partial<RunState> } = {},
): HandlerContext {
  const { effects, state, ...rest } = options;
  const chain = rest.chain ?? chainOf([task]);
  return {
    task,
    input: undefined,
    chain,
    state: { ...initialState(chain, { run_id: "run-1", input: rest.input }), ...state },
    effects: { ...fakeEffects(), ...effects },
    ...rest,
  };
}

/** The EngineError a promise rejects with; fails the test when it resolves or rejects otherwise. */
/** The EngineError a synchronous call throws (fails the test when it throws nothing or something else). */
export function thrown(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error("expected an EngineError");
}

export async function rejectionOf(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof EngineError)) throw new Error(`expected an EngineError, got ${String(error)}`);
  return error;
}
