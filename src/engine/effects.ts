/**
 * The effects: everything a handler may do besides compute — the LLM, embeddings, tools, the
 * sandbox and the clock — as small interfaces the Workers edge (and tests) implement. Nothing
 * here imports a Workers API.
 */
import type { Task } from "./chain";
import type { ChatMessage, ToolSpec, Usage } from "./chat";
import type { Routing, RoutingPolicy } from "./routing";

export interface ChatRequest {
  model?: string;
  provider?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  tool_choice?: unknown;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  /** OpenAI's `response_format` (`{type: "json_object"}`, `{type: "json_schema", json_schema}`), passed on as given. */
  response_format?: unknown;
  /** The end user the request is made for, passed on for the provider's abuse monitoring. */
  user?: string;
  /** More providers (names or types) the call may go to, besides `provider` (`execute_config.providers`). */
  providers?: string[];
  /** The task's routing policy (`execute_config.routing`); the group's or the deployment's otherwise. */
  routing?: RoutingPolicy;
  /** The chain's `token_limit`: when set, a prompt over a model's context is trimmed to fit it (unless `on_token_limit` is "fail"). */
  token_limit?: number;
  on_token_limit?: "truncate" | "fail";
}

export interface ChatResponse {
  message: ChatMessage;
  model: string;
  /** The provider that answered, by name. */
  provider?: string;
  usage?: Usage;
  finish_reason?: string;
  routing?: Routing;
}

export interface LLM {
  /**
   * Throws EngineError with `retryable` set for 429/5xx/timeouts. With `onDelta` the reply is
   * streamed from the provider and each content fragment is handed over as it arrives.
   */
  chat(request: ChatRequest, signal?: AbortSignal, onDelta?: (text: string) => void): Promise<ChatResponse>;
}

export interface EmbedRequest {
  model?: string;
  provider?: string;
  providers?: string[];
  routing?: RoutingPolicy;
  input: string[];
  /** Passed on to models that can shorten their vectors. */
  dimensions?: number;
  user?: string;
}

export interface EmbedResponse {
  /** One vector per input, in order. */
  vectors: number[][];
  model: string;
  dimensions: number;
  usage: { prompt_tokens: number; total_tokens: number };
  routing?: Routing;
}

export interface Embeddings {
  /** Throws EngineError like `LLM.chat`. */
  embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResponse>;
}

export interface ToolCallContext {
  runId: string;
  taskId: string;
  /** Stable across retries of the same step: pass it on as an idempotency key. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

export interface Tools {
  /** Tools the grant (execute_config.tools) gives, as offered to the model. */
  list(grant: string[] | undefined): Promise<ToolSpec[]>;
  /** Names the grant mentions that nothing provides (for validation and run-time errors). */
  missing(grant: string[]): Promise<string[]>;
  /** Calls a tool by its offered name. Remote failures resolve to `{ error }`, never throw. */
  call(name: string, args: unknown, ctx: ToolCallContext): Promise<unknown>;
}

export interface SandboxEnvelope {
  ok: boolean;
  result: unknown;
  error?: string;
  logs: string[];
  calls: unknown[];
  code: string;
  duration_ms: number;
}

export interface Sandbox {
  run(code: string, options: { task: Task; runId: string; signal?: AbortSignal }): Promise<SandboxEnvelope>;
}

export interface Clock {
  now(): number;
}

export interface Effects {
  llm: LLM;
  embeddings: Embeddings;
  tools: Tools;
  sandbox: Sandbox;
  clock: Clock;
}
