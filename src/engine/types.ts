/**
 * The engine's vocabulary: the chain format after alias normalisation, the run state the
 * step function advances, and the small effect interfaces (LLM, tools, sandbox, clock) through
 * which handlers reach the world. Nothing here imports a Workers API.
 */

// ---------------------------------------------------------------------------------------------
// Chain format (normalised: older Contenox spellings are mapped onto these names by the schema)
// ---------------------------------------------------------------------------------------------

export type Operator =
  | "equals"
  | "contains"
  | "starts_with"
  | "ends_with"
  | "gt"
  | "lt"
  | "in_range"
  | "edge_traversed_at_least"
  | "default";

export interface Branch {
  operator: Operator;
  when: string;
  goto: string;
  /** `from->to`, only for `edge_traversed_at_least`. */
  edge?: string;
}

export interface Transition {
  on_failure?: string;
  branches: Branch[];
}

export interface RetryPolicy {
  max_attempts: number;
  initial_backoff: string;
  max_backoff: string;
  jitter: number;
  fallback_model_id?: string;
  fallback_after?: number;
}

export interface ExecuteConfig {
  model?: string;
  provider?: string;
  models?: string[];
  providers?: string[];
  tools?: string[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  retry_policy?: RetryPolicy;
  /** Pass tools supplied by an OpenAI-compatible client to the model. */
  pass_clients_tools?: boolean;
  /** What to do when the history exceeds `token_limit`: drop oldest turns (default) or fail. */
  on_token_limit?: "truncate" | "fail";
  /** Free-form per-handler settings (sandbox limits, egress allow-list, …). */
  [key: string]: unknown;
}

export interface Hook {
  name: string;
  tool_name: string;
  args: Record<string, unknown>;
}

export interface Task {
  id: string;
  description?: string;
  handler: HandlerName;
  system_instruction?: string;
  prompt_template?: string;
  output_template?: string;
  input_var?: string;
  execute_config?: ExecuteConfig;
  transition?: Transition;
  timeout?: string;
  retry_on_failure?: number;
  hook?: Hook;
  print?: string;
  /** Labels for `route`: the LLM picks one; defaults to the task's non-default `when` values. */
  valid_conditions?: string[];
}

export interface Chain {
  id: string;
  description?: string;
  token_limit?: number;
  /** Hard ceiling on total steps per run (default 1,000). */
  max_steps?: number;
  tasks: Task[];
}

export const HANDLER_NAMES = [
  "noop",
  "raise_error",
  "chat_completion",
  "execute_tool_calls",
  "route",
  "prompt_to_string",
  "prompt_to_int",
  "prompt_to_float",
  "prompt_to_condition",
  "prompt_to_range",
  "prompt_to_js",
  "parse_key_value",
  "print",
  "hook",
  "run_js",
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

export const END = "end";

// ---------------------------------------------------------------------------------------------
// Problems: one shape for every validation and run error, rendered at the edge
// ---------------------------------------------------------------------------------------------

export interface Problem {
  severity: "error" | "warning";
  /** JSON path into the chain document, e.g. `tasks[2].transition.branches[0].goto`. */
  path: string;
  message: string;
}

/** An error with a type a caller can branch on; `retryable` marks transient failures. */
export class EngineError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly options: { path?: string; retryable?: boolean; status?: number } = {},
  ) {
    super(message);
    this.name = "EngineError";
  }
}

// ---------------------------------------------------------------------------------------------
// Chat data (OpenAI wire shapes, the lingua franca of providers and clients)
// ---------------------------------------------------------------------------------------------

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type ContentPart = { type: "text"; text: string } | { type: string; [k: string]: unknown };

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

/** What a chat task passes on: the whole conversation so far. */
export interface ChatHistory {
  kind: "chat";
  messages: ChatMessage[];
  /**
   * Why the provider stopped the last reply when it was cut short; absent when it ended on its
   * own, which the reply itself shows (tool calls or not). Kept beside the messages, not on
   * them, so the conversation stays valid to send to a provider again.
   */
  finish_reason?: CutShort;
}

/** The finish reasons that tell a client its answer is incomplete. */
export type CutShort = "length" | "content_filter";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ToolSpec {
  /** Name offered to the model (provider-safe: [A-Za-z0-9_-], ≤ 64). */
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Effects: everything a handler may do besides compute
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Run state and the step function's inputs/outputs
// ---------------------------------------------------------------------------------------------

export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunError {
  type: string;
  message: string;
  task_id?: string;
}

export interface RunState {
  run_id: string;
  chain_id: string;
  status: RunStatus;
  /** Task to run next; null once the run has ended. */
  current_task: string | null;
  input: unknown;
  vars: Record<string, string>;
  /** Output of each task by id (the `{{.task}}` template source). */
  outputs: Record<string, unknown>;
  previous_output: unknown;
  /** Traversal count per `from->to` edge. */
  edge_counts: Record<string, number>;
  /** Completed steps so far (the step ceiling counts these). */
  step_count: number;
  /** Attempt number (1-based) of the current task; reset when a task completes. */
  attempt: number;
  /** Model override chosen by retry fallback for the current task. */
  model_override?: string;
  usage: Usage;
  output?: unknown;
  error?: RunError;
}

/** What running one task produced: the only non-deterministic part of a step. */
export interface StepResult {
  output: unknown;
  eval: string;
  error?: RunError & { retryable?: boolean };
  usage?: Usage;
  model?: string;
}

/** Context every handler receives. */
export interface HandlerContext {
  task: Task;
  /** The task's input (its `input_var`'s output, else the previous output, else the run input). */
  input: unknown;
  /** Input after `prompt_template` rendering, when the task has one. */
  prompt?: string;
  /** `system_instruction` with macros expanded. */
  system?: string;
  chain: Chain;
  state: Readonly<RunState>;
  effects: Effects;
  signal?: AbortSignal;
  /** Model to use (run vars, retry fallback and defaults already applied). */
  model?: string;
  provider?: string;
  /** Tools supplied by an OpenAI-compatible client, offered only with `pass_clients_tools`. */
  client_tools?: ToolSpec[];
}

export interface HandlerOutput {
  output: unknown;
  eval: string;
  usage?: Usage;
  model?: string;
}

export type Handler = (ctx: HandlerContext) => Promise<HandlerOutput>;
