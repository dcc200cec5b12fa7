/**
 * The effects: everything a handler may do besides compute — the LLM, tools, the sandbox and the
 * clock — as small interfaces the Workers edge (and tests) implement. Nothing here imports a
 * Workers API.
 */
import type { Task } from "./chain";
import type { ChatMessage, ToolSpec, Usage } from "./chat";

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
  /** The end user the request is made for, passed on for the provider's abuse monitoring. */
  user?: string;
}

export interface ChatResponse {
  message: ChatMessage;
  model: string;
  /** The provider that answered, by name. */
  provider?: string;
  usage?: Usage;
  finish_reason?: string;
}

export interface LLM {
  /**
   * Throws EngineError with `retryable` set for 429/5xx/timeouts. With `onDelta` the reply is
   * streamed from the provider and each content fragment is handed over as it arrives.
   */
  chat(request: ChatRequest, signal?: AbortSignal, onDelta?: (text: string) => void): Promise<ChatResponse>;
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
  tools: Tools;
  sandbox: Sandbox;
  clock: Clock;
}
