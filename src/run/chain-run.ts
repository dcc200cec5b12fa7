/**
 * ChainRun: one Durable Object per run. It owns the state machine and drives it itself, not
 * through the request that started it: stepping begins inside `start()`, and a lease alarm set
 * before every step resumes the run after eviction, crash or redeploy from the last recorded
 * step. A run therefore outlives its caller.
 *
 * Effects are at-least-once: a step whose result was recorded is never executed again, but a
 * step that was in flight when the object died is executed again on resume. Tool calls carry
 * an idempotency key (`<run id>:<step index>:<tool call id>`) that stays the same across such
 * re-executions, so a tool that honours it performs the effect once.
 *
 * A step whose tool calls need a human's approval does not start: the run is `waiting`, the
 * requests are stored, and each decision (`decide`) is recorded; once none is pending the run
 * resumes by alarm and the step runs, approved calls executing and denied ones answered with
 * the denial. Time spent waiting does not count against the run's wall time.
 */
import { DurableObject } from "cloudflare:workers";
import { readConfig, macroDefaults, type Config } from "../config";
import { db } from "../db/client";
import { syncRun } from "../db/runs";
import { advance, executeStep, initialState } from "../engine/step";
import type { Effects, RunError, RunState, StepResult, Task } from "../engine/types";
import type { Env } from "../env";
import { approvalRequests } from "../tools/approvals";
import { runWorkspaceOp, type WorkspaceOp } from "../tools/builtins/workspace";
import { toolsForRun } from "../tools/for-run";
import type { ApprovalGate, ToolRegistry } from "../tools/registry";
import { createEffects } from "./effects";
import { isTerminal, runView, type Approval, type ApprovalDecision, type DecideOutcome, type RunView, type StartRun, type StepRecord } from "./records";
import { eventStream } from "./sse";
import { RunStore, type RunEvent, type RunTimes } from "./store";
import { truncateForLog } from "./truncate";

/** How long one alarm invocation keeps stepping before it yields and re-arms. */
const SLICE_MS = 20_000;
/** Longest a stepping run leaves D1 behind its own log. */
const D1_SYNC_MS = 250;
/** A re-arm set before each step so a crash mid-step is resumed promptly. */
const LEASE_MS = 2_000;

type Listener = (event: RunEvent) => void;

export class ChainRun extends DurableObject<Env> {
  private readonly store: RunStore;
  private readonly config: Config;
  private readonly listeners = new Set<Listener>();
  private readonly waiters = new Set<(view: RunView) => void>();
  private inflight?: AbortController;
  private driving?: Promise<void>;
  private lastSync = 0;
  private effects?: Effects;
  private tools?: ToolRegistry;
  /** The step being executed, so streamed tokens can be attributed to it. */
  private current?: { index: number; task_id: string; handler: string };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RunStore(ctx.storage);
    this.config = readConfig(env);
  }

  /**
   * Stores the run and starts driving it at once; the lease alarm set first guarantees the run
   * resumes if this instance dies before its first step is recorded. Idempotent per run id.
   */
  async start(start: StartRun): Promise<RunView> {
    const existing = this.view();
    if (existing) return existing;
    const state = { ...initialState(start.chain, { run_id: start.run_id, input: start.input, vars: start.vars }), status: "queued" as const };
    this.store.initialise(start, state, { started_at: null, finished_at: null, retry_at: null, cancel_requested: false });
    await this.ctx.storage.setAlarm(Date.now() + LEASE_MS);
    this.ctx.waitUntil(this.drive());
    return this.view()!;
  }

  view(): RunView | undefined {
    const start = this.store.start();
    const state = this.store.state();
    if (!start || !state) return undefined;
    return runView(start, state, this.store.times(), state.status === "waiting" ? this.store.approvals("pending") : []);
  }

  approvals(): Approval[] {
    return this.store.approvals();
  }

  /** Approves or denies a pending call; the run resumes once no call is pending. */
  async decide(callId: string, decision: ApprovalDecision, reason: string | null): Promise<DecideOutcome> {
    const start = this.store.start();
    const state = this.store.state();
    if (!start || !state) return { ok: false, status: 404, message: "No such run." };
    const requests = this.store.approvalsForCall(callId);
    const pending = requests.find((a) => a.status === "pending");
    if (!pending) {
      const decided = requests.at(-1);
      if (!decided) return { ok: false, status: 404, message: `Run "${start.run_id}" has no approval request for call "${callId}".` };
      return { ok: false, status: 409, message: `The call "${callId}" was already ${decided.status}.` };
    }
    if (state.status !== "waiting") return { ok: false, status: 409, message: `Run "${start.run_id}" is ${state.status}, not waiting for approvals.` };

    const now = Date.now();
    const approval: Approval = { ...pending, status: decision === "approve" ? "approved" : "denied", reason, decided_at: now };
    const stillPending = this.store.approvals("pending").filter((a) => a.key !== approval.key);
    const events: Array<{ type: string; data: unknown }> = [{ type: "approval.decided", data: { call_id: callId, tool: approval.tool, status: approval.status, reason } }];
    let next = state;
    let times = this.store.times();
    if (stillPending.length === 0) {
      next = { ...state, status: "running" };
      times = { ...times, waiting_since: null, waited_ms: (times.waited_ms ?? 0) + (now - (times.waiting_since ?? now)) };
      events.push({ type: "run.resumed", data: { id: start.run_id } });
    }
    this.publish(this.store.decideApproval(approval, next, times, events));
    if (stillPending.length === 0) await this.ctx.storage.setAlarm(now);
    await this.syncToD1();
    return { ok: true, approval, run: this.view()! };
  }

  /** A workspace operation for this run (the workspace tools of code running elsewhere call this). */
  async workspace(op: WorkspaceOp): Promise<unknown> {
    if (!this.store.start()) return { error: "The workspace belongs to a run, and there is no such run." };
    return runWorkspaceOp(this.store.files, op, Date.now());
  }

  steps(): StepRecord[] {
    return this.store.steps();
  }

  /**
   * Resolves when the run has ended or is waiting for approvals (it cannot move on its own),
   * or with its current view after `timeoutMs`.
   */
  async wait(timeoutMs: number): Promise<RunView | undefined> {
    const view = this.view();
    if (!view || isTerminal(view.status) || view.status === "waiting") return view;
    return new Promise((resolve) => {
      const done = (v: RunView) => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        resolve(this.view());
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Stops at the next step boundary and aborts the in-flight LLM/tool call. */
  async cancel(): Promise<RunView | undefined> {
    const view = this.view();
    if (!view || isTerminal(view.status)) return view;
    this.store.setTimes({ ...this.store.times(), cancel_requested: true });
    if (this.inflight) {
      this.inflight.abort(new Error("run cancelled"));
    } else {
      await this.finishCancelled();
    }
    return this.view();
  }

  /** `GET /runs/:id/events`: Server-Sent Events, replayed from `Last-Event-ID`. */
  override async fetch(request: Request): Promise<Response> {
    const lastId = Number(request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("last_event_id") ?? 0) || 0;
    const view = this.view();
    return eventStream({
      past: this.store.eventsAfter(lastId),
      ended: !view || isTerminal(view.status),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    });
  }

  /** Resumes the run (after a backoff, an eviction or a crash) unless it is already being driven. */
  override async alarm(): Promise<void> {
    await this.drive();
  }

  /** One driver at a time per instance: a second caller joins the running one. */
  private drive(): Promise<void> {
    this.driving ??= this.stepUntilPause().finally(() => (this.driving = undefined));
    return this.driving;
  }

  private async stepUntilPause(): Promise<void> {
    const sliceEnd = Date.now() + SLICE_MS;
    for (;;) {
      const start = this.store.start();
      const state = this.store.state();
      if (!start || !state || isTerminal(state.status) || state.status === "waiting") return;
      const times = this.store.times();
      if (times.cancel_requested) return this.finishCancelled();
      const now = Date.now();
      if (times.retry_at !== null && times.retry_at > now) {
        await this.ctx.storage.setAlarm(times.retry_at);
        return;
      }
      if (times.started_at !== null && now - times.started_at - (times.waited_ms ?? 0) > this.config.runWallMs) {
        return this.finish(start, state, times, { type: "wall_time", message: `The run exceeded its maximum wall time of ${this.config.runWallMs} ms.` });
      }
      if (now > sliceEnd) {
        await this.ctx.storage.setAlarm(now);
        return;
      }
      await this.ctx.storage.setAlarm(now + LEASE_MS);
      await this.runOneStep(start, state, times);
    }
  }

  private async runOneStep(start: StartRun, before: RunState, times: RunTimes): Promise<void> {
    const taskId = before.current_task!;
    const task = start.chain.tasks.find((t) => t.id === taskId);
    const index = this.store.nextStepIndex();
    const startedAt = Date.now();
    let state: RunState = before.status === "running" ? before : { ...before, status: "running" };
    const running: RunTimes = { ...times, started_at: times.started_at ?? startedAt, retry_at: null };
    if (before.status !== "running") this.publish(this.store.saveState(state, running, [{ type: "run.started", data: { id: start.run_id } }]));
    if (task && (await this.pausedForApproval(start, state, task, running))) return;
    const previous = this.store.inFlight();
    const starts = previous && previous.index === index && previous.attempt === before.attempt ? previous.starts + 1 : 1;
    this.store.setInFlight({ index, task_id: taskId, attempt: before.attempt, started_at: startedAt, starts });
    this.publish([this.store.appendEvent("step.started", { index, task_id: taskId, attempt: before.attempt, restarted: starts > 1 })]);

    const result = starts > MAX_STEP_STARTS ? crashedStep(taskId, starts - 1) : await this.execute(start, state, index, taskId, task);

    const cancelled = this.store.times().cancel_requested;
    const advanced = advance(start.chain, state, result, { random: Math.random(), maxSteps: this.maxSteps(start), defaults: macroDefaults(this.config) });
    state = cancelled && advanced.state.status !== "succeeded" ? cancelledState(advanced.state) : advanced.state;
    const retry = advanced.transition.retry;
    const record: StepRecord = {
      index,
      task_id: taskId,
      handler: task?.handler ?? "unknown",
      input: truncateForLog(taskInput(before, task?.input_var), this.config.maxStepOutputBytes),
      output: truncateForLog(result.output, this.config.maxStepOutputBytes),
      eval: result.eval,
      goto: advanced.transition.to,
      started_at: startedAt,
      duration_ms: Date.now() - startedAt,
      error: result.error ? { type: result.error.type, message: result.error.message, task_id: taskId } : null,
      attempt: before.attempt,
      model: result.model ?? null,
      usage: result.usage ?? null,
      ...(retry ? { retry } : {}),
    };
    const ended = isTerminal(state.status);
    const nextTimes: RunTimes = {
      ...running,
      cancel_requested: cancelled,
      retry_at: retry && retry.delay_ms > 0 ? Date.now() + retry.delay_ms : null,
      finished_at: ended ? Date.now() : null,
    };
    const events: Array<{ type: string; data: unknown }> = [{ type: "step.completed", data: { index, task_id: taskId, eval: record.eval, goto: record.goto, error: record.error, duration_ms: record.duration_ms } }];
    if (ended) events.push({ type: "run.finished", data: { id: start.run_id, status: state.status, error: state.error ?? null } });
    this.publish(this.store.recordStep(record, state, nextTimes, events));
    await this.syncToD1(ended || nextTimes.retry_at !== null);
    if (ended) this.notifyWaiters();
  }

  private async execute(start: StartRun, state: RunState, index: number, taskId: string, task: Task | undefined): Promise<StepResult> {
    this.inflight = new AbortController();
    this.current = { index, task_id: taskId, handler: task?.handler ?? "unknown" };
    try {
      return await executeStep(start.chain, state, this.effectsFor(start), await this.stepEnv(start.run_id, task), {
        signal: this.inflight.signal,
        client_tools: start.client_tools,
      });
    } finally {
      this.inflight = undefined;
      this.current = undefined;
    }
  }

  /**
   * Stores approval requests for the calls of this step that need one and have none yet; when
   * any is pending, the run waits (the step does not start) and true is returned.
   */
  private async pausedForApproval(start: StartRun, state: RunState, task: Task, times: RunTimes): Promise<boolean> {
    if (task.handler !== "execute_tool_calls" && task.handler !== "hook") return false;
    const requests = approvalRequests(task, taskInput(state, task.input_var), state, await this.registryFor(start.run_id).entries());
    if (requests.length === 0) return false;
    const now = Date.now();
    const fresh: Approval[] = requests.filter((r) => !this.store.approval(r.key)).map((r) => ({ ...r, status: "pending", reason: null, requested_at: now, decided_at: null }));
    const pending = [...this.store.approvals("pending").filter((a) => requests.some((r) => r.key === a.key)), ...fresh];
    if (pending.length === 0) return false;
    const events = [
      ...fresh.map((a) => ({ type: "approval.requested", data: { call_id: a.call_id, task_id: a.task_id, tool: a.tool, arguments: a.arguments } })),
      { type: "run.waiting", data: { id: start.run_id, pending: pending.map((a) => a.call_id) } },
    ];
    this.publish(this.store.pauseForApprovals(fresh, { ...state, status: "waiting" }, { ...times, waiting_since: now }, events));
    await this.ctx.storage.deleteAlarm();
    await this.syncToD1();
    this.notifyWaiters();
    return true;
  }

  /** Calls that need approval run only once approved; a denied one answers the model with the denial. */
  private readonly approvalGate: ApprovalGate = (entry, ctx) => {
    const approval = this.store.approval(ctx.idempotencyKey);
    if (approval?.status === "approved") return { run: true };
    if (approval?.status === "denied") {
      const because = approval.reason ? `: ${approval.reason}` : ".";
      return { run: false, result: `The call to "${entry.spec.name}" was denied by a human reviewer${because} It was not executed; do not retry it, carry on without it.` };
    }
    return { run: false, result: { error: `Tool "${entry.spec.name}" needs a human's approval, and this call has none.` } };
  };

  private registryFor(runId: string): ToolRegistry {
    this.tools ??= toolsForRun(this.env, this.config, runId, { approvals: this.approvalGate, workspace: (op) => this.workspace(op) });
    return this.tools;
  }

  /** The run's effects, with every LLM reply streamed so its tokens reach SSE followers as they arrive. */
  private effectsFor(start: StartRun): Effects {
    if (this.effects) return this.effects;
    const base = createEffects(this.env, this.config, start.run_id, this.registryFor(start.run_id), start.event_hops);
    const onToken = (text: string) => {
      if (this.current) this.publish([this.store.appendEvent("token", { ...this.current, delta: text })]);
    };
    this.effects = { ...base, llm: { chat: (request, signal, onDelta) => base.llm.chat(request, signal, (text) => (onDelta?.(text), onToken(text))) } };
    return this.effects;
  }

  private async stepEnv(runId: string, task: Task | undefined) {
    // Loading the registry costs a D1 read, so only a task that shows the tool list pays for it.
    const toolNames = task && JSON.stringify(task).includes("{{toolservice:") ? (await this.registryFor(runId).list(["*"])).map((t) => t.name) : [];
    return { now: Date.now(), toolNames, defaults: macroDefaults(this.config) };
  }

  private maxSteps(start: StartRun): number {
    return Math.min(start.chain.max_steps ?? this.config.stepLimit, this.config.stepLimit);
  }

  private async finish(start: StartRun, state: RunState, times: RunTimes, error: RunError): Promise<void> {
    const failed: RunState = { ...state, status: "failed", current_task: null, error };
    this.publish(this.store.saveState(failed, { ...times, finished_at: Date.now() }, [{ type: "run.finished", data: { id: start.run_id, status: "failed", error } }]));
    await this.syncToD1();
    this.notifyWaiters();
  }

  private async finishCancelled(): Promise<void> {
    const start = this.store.start();
    const state = this.store.state();
    if (!start || !state || isTerminal(state.status)) return;
    const cancelled = cancelledState(state);
    const error = cancelled.error!;
    this.store.setInFlight(undefined);
    this.publish(
      this.store.saveState(cancelled, { ...this.store.times(), cancel_requested: true, retry_at: null, finished_at: Date.now() }, [
        { type: "run.finished", data: { id: start.run_id, status: "cancelled", error } },
      ]),
    );
    await this.ctx.storage.deleteAlarm();
    await this.syncToD1();
    this.notifyWaiters();
  }

  /**
   * D1 is the queryable copy. While a run is stepping, its rows are written at most every
   * D1_SYNC_MS (one batch for the steps since the last write) so fast chains do not pay a D1
   * round trip per step; any pause or end forces the write. A failed write is logged and
   * retried by the next one.
   */
  private async syncToD1(force = true): Promise<void> {
    const view = this.view();
    if (!view) return;
    const now = Date.now();
    if (!force && now - this.lastSync < D1_SYNC_MS) return;
    this.lastSync = now;
    const synced = this.store.syncedSteps();
    const pending = this.store.stepsFrom(synced);
    try {
      await syncRun(db(this.env.DB), view, pending);
      this.store.setSyncedSteps(synced + pending.length);
    } catch (err) {
      console.error(`run ${view.id}: D1 sync failed`, err);
    }
  }

  private publish(events: RunEvent[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }

  private notifyWaiters(): void {
    const view = this.view();
    if (!view) return;
    for (const waiter of [...this.waiters]) waiter(view);
  }
}

/**
 * A step the object died in this many times in a row is not started again: whatever it does
 * takes the runtime down (e.g. a native allocation no sandbox check sees), so it fails instead.
 */
const MAX_STEP_STARTS = 3;

function crashedStep(taskId: string, crashes: number): StepResult {
  return {
    output: null,
    eval: "",
    error: { type: "step_crashed", message: `Task "${taskId}" was interrupted ${crashes} times in a row (the runtime stopped while it ran); it is not started again.`, task_id: taskId, retryable: false },
  };
}

function cancelledState(state: RunState): RunState {
  const error: RunError = { type: "cancelled", message: "The run was cancelled.", task_id: state.current_task ?? undefined };
  return { ...state, status: "cancelled", current_task: null, error };
}

function taskInput(state: RunState, inputVar: string | undefined): unknown {
  if (inputVar && inputVar in state.outputs) return state.outputs[inputVar];
  return state.step_count === 0 ? state.input : state.previous_output;
}
