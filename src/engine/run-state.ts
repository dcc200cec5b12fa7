/**
 * A run's state as the step function advances it, and what one step produced.
 */
import type { Usage } from "./chat";
import type { Routing } from "./routing";

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
  /** How the step's last model call was routed. */
  routing?: Routing;
}

