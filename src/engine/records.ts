/**
 * The public shapes of a run and its steps, as stored and as the API returns them, and how an
 * executed step becomes its record.
 */
import type { Chain, Task } from "./chain";
import type { ToolSpec, Usage } from "./chat";
import { boundLlmCall, type LlmCall } from "./llm-calls";
import type { Routing } from "./routing";
import type { RunError, RunState, RunStatus, StepResult } from "./run-state";
import type { Advance } from "./step";
import { recordedInput } from "./task-input";
import { truncateForLog } from "./truncate";

export interface StartRequest {
  chain: Chain;
  chain_version: number;
  input: unknown;
  vars?: Record<string, string>;
  client_tools?: ToolSpec[];
  /** Reuse a known id (idempotent starts, e.g. one run per event id). */
  run_id?: string;
  /** See `StartRun.event_hops`. */
  event_hops?: number;
  /** See `StartRun.principal`; absent: `admin`. */
  principal?: string;
  /** See `StartRun.event_root`. */
  event_root?: string;
  /** See `StartRun.parent`. */
  parent?: RunLineage & { run_id: string };
}

/** Where a run stands among the sub-runs of one root run (started with `executeTaskChain`). */
export interface RunLineage {
  /** The run that started the first of the chain of sub-runs; a run started any other way is its own root. */
  root_run_id: string;
  /** 0 for a root, its parent's depth + 1 for a sub-run. */
  depth: number;
  /** See `StartRun.event_root`. */
  event_root?: string;
}

export interface StartRun {
  run_id: string;
  chain: Chain;
  chain_version: number;
  input: unknown;
  vars: Record<string, string>;
  created_at: number;
  /** Tools an OpenAI-compatible client sent; offered only to tasks with `pass_clients_tools`. */
  client_tools?: ToolSpec[];
  /**
   * For a run an event caused (an event trigger's, or a sub-run of code such a run or a function
   * ran): the `metadata.hops` the events its code sends carry, so sendEvent loops that pass
   * through runs still end at the hop limit. Absent: its events are outside ones (hops 0).
   */
  event_hops?: number;
  /** For a run an event caused: the outside event that cascade began with, whose budget its events and sub-runs count against. */
  event_root?: string;
  /** For a sub-run: the run whose code started it, and its root and depth. */
  parent?: RunLineage & { run_id: string };
  /** For a fork: the run and the step it was forked from (`POST /runs/:id/fork`). */
  forked_from?: ForkedFrom;
  /** The caller's role (never its key): the API key's, a trigger's, or the parent run's for a sub-run. */
  principal?: string;
  /** The domain contracts the chain binds (`contract`), as they were when the run started. */
  contracts?: Record<string, ContractSnapshot>;
}

/** A bound contract as a run keeps it: the document (checked again when loaded) and its registry version (0 bundled). */
export interface ContractSnapshot {
  version: number;
  document: unknown;
}

/**
 * What the domain contract's gate decided about one tool call, in the order the run's calls
 * reached it (`seq`): an auditor sees who asked, what, the state read, and which rule refused.
 */
export interface ContractDecision {
  seq: number;
  contract: string;
  version: number;
  task_id: string;
  tool: string;
  args: unknown;
  role: string;
  allowed: boolean;
  /** What refused the call: a rule's id, `role`, `lifecycle` (the state does not allow it), `state_read` or `contract_unavailable`. */
  rule?: string;
  message?: string;
  /** For an operation that moves an entity: its state as read fresh from the system of record. */
  entity?: { name: string; read: { tool: string; args: unknown }; state: string | null; error?: string };
  /** For an allowed call, once it ended: whether the tool succeeded. */
  outcome?: "ok" | "error";
  at: number;
}

/** Where a fork (or one of its copied steps) comes from: a run and a step index in it. */
export interface ForkedFrom {
  run_id: string;
  step: number;
}

export interface RunView {
  id: string;
  chain_id: string;
  chain_version: number;
  status: RunStatus;
  input: unknown;
  output: unknown;
  error: RunError | null;
  usage: Usage;
  /** Recorded steps: the entries of `GET /runs/:id/steps`, retried attempts and failed steps included. */
  step_count: number;
  current_task: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** While the run is `waiting`: the calls that wait for a decision (`POST /runs/:id/approvals/:call_id`). */
  pending_approvals?: Approval[];
  /** See `StartRun.event_hops`. */
  event_hops?: number;
  forked_from?: ForkedFrom;
  /** See `StartRun.principal`. */
  principal?: string;
  /** The contracts the run is governed by, by id, with the version it bound. */
  contracts?: Record<string, number>;
  /** For a sub-run: the run whose code started it. */
  parent_run_id?: string;
  /** Present only while D1, the queryable copy, lags behind the run (see run/d1-copy.ts). */
  d1_copy?: D1CopyStatus;
}

/** How catching up D1 with a run is going, while D1 lags behind it. */
export interface D1CopyStatus {
  behind: true;
  /** Failed writes in a row. */
  attempts: number;
  last_error: string | null;
  /** When the bounded retries ran out; `POST /runs/:id/resync` starts them again. */
  gave_up_at: number | null;
}

export interface StepRecord {
  index: number;
  task_id: string;
  handler: string;
  input: unknown;
  output: unknown;
  eval: string;
  /** The next task: the same one when it is retried, `"end"` when the run ended here. */
  goto: string;
  started_at: number;
  duration_ms: number;
  error: RunError | null;
  attempt: number;
  model: string | null;
  usage: Usage | null;
  /** Set when this attempt failed and the task is retried; the delay waited by alarm. */
  retry?: { delay_ms: number; attempt: number; model?: string };
  /** Every LLM call the step made, in order (absent for a step that made none). */
  llm_calls?: LlmCall[];
  /** In a fork, a step copied from the run it was forked from (it did not run here). */
  copied_from?: ForkedFrom;
  /** In a fork, the copied step whose output the fork request replaced (`patch`). */
  patched?: true;
  /** In a governed run: what the contract's gate decided about each tool call the step made. */
  contract_decisions?: ContractDecision[];
  /** For a step that called a model: which backend served it, under which policy, and which candidates were passed over. */
  routing?: Routing;
}

/** A call waiting for (or given) a human's decision; `key` is the call's idempotency key. */
export interface Approval {
  call_id: string;
  key: string;
  task_id: string;
  tool: string;
  arguments: unknown;
  status: "pending" | "approved" | "denied";
  reason: string | null;
  requested_at: number;
  decided_at: number | null;
}

export type ApprovalDecision = "approve" | "deny";

/** Whether a root run took on one more sub-run, or why not (run/descendants.ts). */
export type Adoption = { ok: true } | { ok: false; error: string };

/** What deciding an approval led to, or why it could not be decided. */
export type DecideOutcome = { ok: true; approval: Approval; run: RunView } | { ok: false; status: 404 | 409; message: string };

export const TERMINAL: ReadonlySet<RunStatus> = new Set(["succeeded", "failed", "cancelled"]);

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL.has(status);
}

/** `stepCount`: the steps recorded so far (see `RunView.step_count`). */
export function runView(start: StartRun, state: RunState, stepCount: number, times: { started_at: number | null; finished_at: number | null }, pending: Approval[] = []): RunView {
  return {
    id: start.run_id,
    chain_id: start.chain.id,
    chain_version: start.chain_version,
    status: state.status,
    input: start.input,
    output: state.output ?? null,
    error: state.error ?? null,
    usage: state.usage,
    step_count: stepCount,
    current_task: state.current_task,
    created_at: start.created_at,
    started_at: times.started_at,
    finished_at: times.finished_at,
    ...(state.status === "waiting" ? { pending_approvals: pending } : {}),
    ...(start.event_hops !== undefined ? { event_hops: start.event_hops } : {}),
    ...(start.forked_from ? { forked_from: start.forked_from } : {}),
    ...(start.principal !== undefined ? { principal: start.principal } : {}),
    ...(start.contracts ? { contracts: Object.fromEntries(Object.entries(start.contracts).map(([id, c]) => [id, c.version])) } : {}),
    ...(start.parent ? { parent_run_id: start.parent.run_id } : {}),
  };
}

/** The lineage a run hands its sub-runs' `parent`. */
export function lineageOf(start: StartRun): RunLineage {
  return {
    root_run_id: start.parent?.root_run_id ?? start.run_id,
    depth: start.parent ? start.parent.depth + 1 : 0,
    ...(start.event_root !== undefined ? { event_root: start.event_root } : {}),
  };
}

/** One executed step, as `stepRecord` turns it into its record. */
export interface ExecutedStep {
  index: number;
  task_id: string;
  /** The task as the chain defines it; absent when the chain has no such task. */
  task: Task | undefined;
  /** The state the step started from. */
  before: RunState;
  result: StepResult;
  transition: Advance["transition"];
  llm_calls: LlmCall[];
  started_at: number;
  duration_ms: number;
  contract_decisions?: ContractDecision[];
}

/** The step's record, its input, output and LLM calls bounded by `maxBytes` each. */
export function stepRecord(step: ExecutedStep, maxBytes: number): StepRecord {
  const { result, transition, llm_calls } = step;
  return {
    index: step.index,
    task_id: step.task_id,
    handler: step.task?.handler ?? "unknown",
    input: truncateForLog(step.task && recordedInput(step.task, step.before), maxBytes),
    output: truncateForLog(result.output, maxBytes),
    eval: result.eval,
    goto: transition.to ?? "end",
    started_at: step.started_at,
    duration_ms: step.duration_ms,
    error: result.error ? { type: result.error.type, message: result.error.message, task_id: step.task_id } : null,
    attempt: step.before.attempt,
    // A step whose call failed has no model from a reply: the one it tried is named instead.
    model: result.model ?? llm_calls.at(-1)?.model ?? null,
    usage: result.usage ?? null,
    ...(transition.retry ? { retry: transition.retry } : {}),
    ...(llm_calls.length > 0 ? { llm_calls: llm_calls.map((call) => boundLlmCall(call, maxBytes)) } : {}),
    ...(step.contract_decisions?.length ? { contract_decisions: step.contract_decisions.map((d) => ({ ...d, args: truncateForLog(d.args, maxBytes) })) } : {}),
    ...(result.routing ? { routing: result.routing } : {}),
  };
}
