/**
 * The chain format as the engine reads it, after alias normalisation: tasks, handlers, transitions,
 * branches and their settings. Older Contenox spellings are mapped onto these names by the schema.
 */
import type { RoutingPolicy } from "./routing";

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
  /** How to pick among the backends serving the model; the group's or the deployment's policy otherwise. */
  routing?: RoutingPolicy;
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
  /** The domain contract this task's calls are governed by, instead of the chain's. */
  contract?: string;
}

export interface Chain {
  id: string;
  description?: string;
  token_limit?: number;
  /** Hard ceiling on total steps per run (default 1,000). */
  max_steps?: number;
  /** The domain contract (by id) that governs every tool call of the chain's runs. */
  contract?: string;
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
  "embedding",
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

export const END = "end";
