/**
 * The step function: how a run moves. `executeStep` runs the current task once and captures
 * everything non-deterministic it produced (output, eval, error, usage) as a `StepResult`;
 * `advance` is the pure part that folds that result into the run state (outputs, retries,
 * branches, edge counts, the step ceiling). Keeping them apart means a run can be persisted,
 * resumed and replayed from its recorded results alone. `runToEnd` loops the two in memory,
 * recording each step as a run's object does (for tests and benches).
 */

import { parseDuration } from "./duration";
import { CALLS_NOTHING, handlers } from "./handlers";
import { AnswerError } from "./ask";
import { templateScope } from "./template-scope";
import { CLIENT_TOOL_CALL } from "./client-tools";
import { expandTaskMacros, grantedToolsFor, type MacroEnv } from "./macros";
import { noticingRouting } from "./noticed-routing";
import { decideRetry } from "./retry";
import { taskInput } from "./task-input";
import { renderTemplate, type TemplateScope } from "./templates";
import { edgeKey, isEnd, matchBranch } from "./transitions";
import { EngineError } from "./errors";
import type { Chain, Task } from "./chain";
import type { ToolSpec, Usage } from "./chat";
import type { Effects } from "./effects";
import type { HandlerOutput } from "./handlers/types";
import type { RunError, RunState, StepResult } from "./run-state";
import { stepRecord, type StepRecord } from "./records";
import { recordEffects, stepEffects, type StepEffects } from "./recording";

export interface StepEnv {
  /** Epoch milliseconds of this step, for `{{now}}`. */
  now: number;
  /** Registered tool names, for `{{toolservice:list}}`. */
  toolNames: string[];
  /** Configured fallbacks for run vars, including `model` and `provider`. */
  defaults: Record<string, string>;
  maxSteps?: number;
  /** For a task a domain contract governs: the contract as `{{contract}}` shows it, and its notes per operation for `{{tools:typescript}}`. */
  contract?: { text: string; notes: Record<string, string[]> };
}

export interface Advance {
  state: RunState;
  transition: {
    from: string;
    /** The next task, or null when the run has ended. */
    to: string | null;
    eval: string;
    /** Index of the branch taken. */
    branch?: number;
    /** Set when the same task runs again after a retryable error. */
    retry?: { delay_ms: number; attempt: number; model?: string };
  };
}

export interface AdvanceOptions {
  /** A number in [0, 1) for the retry jitter: the caller draws it so replays can reuse it. */
  random: number;
  maxSteps?: number;
  /** The same var defaults `executeStep` got, for macros in branch values and retry policies. */
  defaults?: Record<string, string>;
}

export interface RunInit {
  run_id: string;
  input: unknown;
  vars?: Record<string, string>;
}

export const DEFAULT_MAX_STEPS = 1000;

/** Errors that come from the chain itself: running it again cannot help. */
const CHAIN_ERRORS = new Set(["missing_var", "unknown_template_ref", "validation", "invalid_duration"]);

const NO_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

export function initialState(chain: Chain, init: RunInit): RunState {
  return {
    run_id: init.run_id,
    chain_id: chain.id,
    status: "running",
    current_task: chain.tasks[0]?.id ?? null,
    input: init.input,
    vars: init.vars ?? {},
    outputs: {},
    previous_output: undefined,
    edge_counts: {},
    step_count: 0,
    attempt: 1,
    usage: NO_USAGE,
  };
}

/** Runs the current task once. Never throws: every failure becomes `StepResult.error`. */
export async function executeStep(
  chain: Chain,
  state: RunState,
  effects: Effects,
  env: StepEnv,
  options: { signal?: AbortSignal; client_tools?: ToolSpec[] } = {},
): Promise<StepResult> {
  const taskId = state.current_task ?? "";
  const noticed = noticingRouting(effects);
  try {
    const raw = findTask(chain, taskId);
    const macroEnv: MacroEnv = { vars: state.vars, defaults: env.defaults, now: env.now, chain, toolNames: env.toolNames, edgeCounts: state.edge_counts, contract: env.contract };
    const task = expandTaskMacros(raw, { ...macroEnv, grantedTools: await grantedToolsFor(raw, macroEnv, effects.tools) });
    const scope = templateScope(state);
    const config = task.execute_config ?? {};
    const handle = (signal?: AbortSignal) =>
      handlers[task.handler]({
        task,
        input: taskInput(task, state),
        prompt: task.prompt_template === undefined ? undefined : renderTemplate(task.prompt_template, scope),
        system: task.system_instruction,
        chain,
        state,
        effects: noticed.effects,
        signal,
        model: firstSet(state.model_override, config.model, env.defaults.model),
        provider: firstSet(config.provider, env.defaults.provider),
        client_tools: options.client_tools,
      });
    const timeoutMs = task.timeout === undefined ? undefined : parseDuration(task.timeout);
    // A handler that calls nothing settles within this turn: no timer or cancel can come first.
    const handled = CALLS_NOTHING.has(task.handler) ? await handle(options.signal) : await withTimeout(task, timeoutMs, options.signal, handle);
    const output =
      task.output_template === undefined ? handled.output : renderTemplate(task.output_template, withOutput(scope, task.id, handled.output));
    return { output, eval: handled.eval, usage: handled.usage, model: handled.model, ...noticed.routing() };
  } catch (error) {
    const spent = error instanceof AnswerError ? { usage: error.answer.usage, model: error.answer.model } : {};
    return { output: undefined, eval: "error", error: stepError(error, taskId), ...spent, ...noticed.routing() };
  }
}

/** Folds a step's result into the run state. Pure: the only randomness is `options.random`. */
export function advance(chain: Chain, state: RunState, result: StepResult, options: AdvanceOptions): Advance {
  const from = state.current_task ?? "";
  const usage = addUsage(state.usage, result.usage);
  let task: Task;
  try {
    task = decisionView(chain, findTask(chain, from), state, options.defaults ?? {});
  } catch (error) {
    const { type, message, task_id } = stepError(error, from);
    return ended({ ...state, usage }, from, result.eval, { error: { type, message, task_id } });
  }
  if (result.error) return advanceAfterError(chain, task, { ...state, usage }, result.error, options);

  const done: RunState = {
    ...state,
    usage,
    outputs: { ...state.outputs, [task.id]: result.output },
    previous_output: result.output,
    step_count: state.step_count + 1,
    attempt: 1,
    model_override: undefined,
  };
  const branches = task.transition?.branches ?? [];
  if (branches.length === 0) return ended(done, task.id, result.eval, { output: result.output });

  const match = matchBranch(branches, result.eval, state.edge_counts);
  // Calls to the client's own tools can only be answered by the client: the run ends and hands
  // them back, unless the chain routes this eval explicitly.
  if (result.eval === CLIENT_TOOL_CALL && match?.branch.operator !== "equals") {
    return ended(done, task.id, result.eval, { output: result.output });
  }
  if (match === undefined) {
    const message = `task "${task.id}" produced eval ${JSON.stringify(result.eval)}, which none of its ${branches.length} branches matches; add a "default" branch`;
    return ended(done, task.id, result.eval, { error: { type: "no_transition", message, task_id: task.id } });
  }
  if (isEnd(match.branch.goto)) return ended(done, task.id, result.eval, { output: result.output }, match.index);
  return moveTo(chain, done, task.id, match.branch.goto, result.eval, options, match.index);
}

/** One step of `runToEnd`: what it produced, and its record with its effects as a run's object keeps them. */
export interface StepRun {
  task_id: string;
  result: StepResult;
  transition: Advance["transition"];
  record: StepRecord;
  effects: StepEffects;
}

/** Bound of each recorded value in `runToEnd`'s records, as a run's default (`MAX_STEP_OUTPUT_BYTES`). */
const RECORD_BYTES = 256 * 1024;

/** Runs a chain to its end in memory, ignoring retry delays, recording each step (tests and benches). */
export async function runToEnd(
  chain: Chain,
  init: RunInit,
  effects: Effects,
  env: Omit<StepEnv, "now">,
  options: { client_tools?: ToolSpec[]; random?: () => number } = {},
): Promise<{ state: RunState; steps: StepRun[] }> {
  const random = options.random ?? Math.random;
  const steps: StepRun[] = [];
  let state = initialState(chain, init);
  while (state.status === "running" && state.current_task !== null) {
    const task_id = state.current_task;
    const recorder = recordEffects(effects);
    const stepEnv: StepEnv = { ...env, now: effects.clock.now() };
    const result = await executeStep(chain, state, recorder.effects, stepEnv, { client_tools: options.client_tools });
    const draw = random();
    const next = advance(chain, state, result, { random: draw, maxSteps: env.maxSteps, defaults: env.defaults });
    const { llm_calls, effects: recorded } = recorder.take();
    const task = chain.tasks.find((candidate) => candidate.id === task_id);
    const record = stepRecord({ index: steps.length, task_id, task, before: state, result, transition: next.transition, llm_calls, started_at: stepEnv.now, duration_ms: 0 }, RECORD_BYTES);
    steps.push({ task_id, result, transition: next.transition, record, effects: stepEffects(recorded, result, stepEnv, draw, RECORD_BYTES) });
    state = next.state;
  }
  return { state, steps };
}

function advanceAfterError(
  chain: Chain,
  task: Task,
  state: RunState,
  error: NonNullable<StepResult["error"]>,
  options: AdvanceOptions,
): Advance {
  const runError: RunError = { type: error.type, message: error.message, task_id: error.task_id ?? task.id };
  // raise_error exists to end the run: retrying or re-routing it would defeat its purpose.
  if (task.handler === "raise_error") return ended(state, task.id, "error", { error: runError });

  const decision = decideRetry(task, state.attempt, { retryable: error.retryable, type: error.type }, options.random);
  if (decision.retry) {
    const retry = { delay_ms: decision.delay_ms, attempt: decision.attempt, model: decision.model ?? state.model_override };
    return {
      state: { ...state, attempt: decision.attempt, model_override: retry.model },
      transition: { from: task.id, to: task.id, eval: "error", retry },
    };
  }

  const fallback = task.transition?.on_failure;
  if (fallback === undefined || isEnd(fallback)) return ended(state, task.id, "error", { error: runError });
  // The failure target reads the error as its input, so `raise_error` can report it.
  const failed: RunState = {
    ...state,
    previous_output: error.message,
    step_count: state.step_count + 1,
    attempt: 1,
    model_override: undefined,
  };
  return moveTo(chain, failed, task.id, fallback, "error", options);
}

function moveTo(
  chain: Chain,
  state: RunState,
  from: string,
  to: string,
  evalValue: string,
  options: { maxSteps?: number },
  branch?: number,
): Advance {
  if (!chain.tasks.some((task) => task.id === to)) {
    const message = `task "${from}" goes to "${to}", which is not a task of chain "${chain.id}"`;
    return ended(state, from, evalValue, { error: { type: "unknown_task", message, task_id: from } }, branch);
  }
  const key = edgeKey(from, to);
  const moved: RunState = { ...state, current_task: to, edge_counts: { ...state.edge_counts, [key]: (state.edge_counts[key] ?? 0) + 1 } };
  const limit = options.maxSteps ?? chain.max_steps ?? DEFAULT_MAX_STEPS;
  if (moved.step_count >= limit) {
    const message = `run stopped at its limit of ${limit} steps: a transition probably loops without an exit (last edge: ${key}); raise max_steps if the chain really needs more`;
    return ended(moved, from, evalValue, { error: { type: "step_limit", message, task_id: from } }, branch);
  }
  return { state: moved, transition: { from, to, eval: evalValue, branch } };
}

function ended(state: RunState, from: string, evalValue: string, end: { output: unknown } | { error: RunError }, branch?: number): Advance {
  const final: RunState =
    "error" in end
      ? { ...state, status: "failed", current_task: null, error: end.error }
      : { ...state, status: "succeeded", current_task: null, output: end.output };
  return { state: final, transition: { from, to: null, eval: evalValue, branch } };
}

/**
 * The parts of a task that `advance` decides with — branches and retry settings — with macros
 * expanded from the run's vars and edge counts, as `executeStep` saw them (a policy may name
 * `{{var:fallback_model}}`, a branch `{{var:threshold}}`). Prompts are left out: they are not
 * needed here and may use vars that only matter to the handler. The clock and the tool list are
 * left out too, which keeps `advance` pure; neither has a use in a branch value or a policy.
 */
function decisionView(chain: Chain, task: Task, state: RunState, defaults: Record<string, string>): Task {
  const { id, handler, transition, retry_on_failure } = task;
  const retry_policy = task.execute_config?.retry_policy;
  const view: Task = { id, handler, transition, retry_on_failure, execute_config: retry_policy && { retry_policy } };
  return expandTaskMacros(view, { vars: state.vars, defaults, now: 0, chain, toolNames: [], edgeCounts: state.edge_counts });
}

function findTask(chain: Chain, id: string): Task {
  const task = chain.tasks.find((candidate) => candidate.id === id);
  if (task === undefined) throw new EngineError("validation", `chain "${chain.id}" has no task "${id}"`);
  return task;
}

function withOutput(scope: TemplateScope, taskId: string, output: unknown): TemplateScope {
  return { ...scope, previous_output: output, outputs: { ...scope.outputs, [taskId]: output } };
}

/**
 * Runs a handler under the task's `timeout` and the caller's cancellation. The handler gets a
 * signal to stop its own work, and the race stops waiting even for one that ignores it.
 */
async function withTimeout(
  task: Task,
  timeoutMs: number | undefined,
  outer: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<HandlerOutput>,
): Promise<HandlerOutput> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onOuterAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    const stop = (error: EngineError) => {
      reject(error);
      controller.abort(error);
    };
    // A caller may abort with the error the step is to end with (replay does).
    onOuterAbort = () => stop(outer?.reason instanceof EngineError ? outer.reason : new EngineError("cancelled", `task "${task.id}" was cancelled`, { retryable: false }));
    if (outer?.aborted) onOuterAbort();
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => stop(new EngineError("timeout", `task "${task.id}" timed out after ${task.timeout}`, { retryable: true })),
        timeoutMs,
      );
    }
  });
  try {
    return await Promise.race([run(controller.signal), stopped]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onOuterAbort) outer?.removeEventListener("abort", onOuterAbort);
  }
}

function stepError(error: unknown, taskId: string): NonNullable<StepResult["error"]> {
  if (error instanceof EngineError) {
    const retryable = CHAIN_ERRORS.has(error.type) ? false : (error.options.retryable ?? false);
    return { type: error.type, message: error.message, task_id: taskId, retryable };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { type: "handler_error", message: `task "${taskId}" failed: ${message}`, task_id: taskId, retryable: false };
}

/** The first value that is set: a macro such as `{{var:model|}}` may expand to "". */
function firstSet(...values: Array<string | undefined>): string | undefined {
  return values.find((value) => value !== undefined && value !== "");
}

function addUsage(total: Usage, more: Usage | undefined): Usage {
  if (more === undefined) return total;
  return {
    prompt_tokens: total.prompt_tokens + more.prompt_tokens,
    completion_tokens: total.completion_tokens + more.completion_tokens,
    total_tokens: total.total_tokens + more.total_tokens,
  };
}
