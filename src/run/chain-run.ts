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
import { isTerminal, lineageOf, runView, stepRecord, type Adoption, type Approval, type ApprovalDecision, type ContractDecision, type DecideOutcome, type RunLineage, type RunView, type StartRun, type StepRecord } from "../engine/records";
import type { LlmCall } from "../engine/llm-calls";
import { recordEffects, stepEffects, type StepEffects } from "../engine/recording";
import { advance, executeStep, initialState, type StepEnv } from "../engine/step";
import { recordedInput } from "../engine/task-input";
import { macrosShown } from "../engine/macros";
import { CALLS_NOTHING } from "../engine/handlers";
import type { Chain, Task } from "../engine/chain";
import type { ReplayReport } from "../engine/replay";
import type { Effects } from "../engine/effects";
import type { RunError, RunState, StepResult } from "../engine/run-state";
import type { Env } from "../env";
import type { SandboxTurn } from "../sandbox/lane";
import { runWorkspaceOp, type WorkspaceOp } from "../tools/builtins/workspace";
import type { ApprovalGate, CallGate, ToolRegistry } from "../tools/types";
import { contractGate, type GatedCall } from "../contract/gate";
import { ADMIN_ROLE } from "../contract/types";
import { RunGovernance } from "./governance";
import { approvalGate, callsTools, decideApproval, pauseForApprovals } from "./approvals";
import { D1Copy, D1_SYNC_MS, d1Writer } from "./d1-copy";
import { adoptDescendant, cancelDescendants } from "./descendants";
import { eventStream } from "./sse";
import { RunStore, type ForkPrefix, type InFlight, type RunTimes } from "./store";
import { eventPosition, StepTokens, type EventPosition, type StreamedEvent } from "./step-tokens";
import { forkSeed, replayRecorded, type ForkPoint, type ForkSeedResult } from "./time-travel";
import { boundEval, boundResult } from "./bounds";

const NOT_STARTED: RunTimes = { started_at: null, finished_at: null, retry_at: null, cancel_requested: false };

/** How long one alarm invocation keeps stepping before it yields and re-arms. */
const SLICE_MS = 20_000;
/**
 * Before each step the lease alarm is at most this far ahead, so a crash mid-step is resumed
 * promptly; it is pushed back only once less than half of it is left, not at every step.
 */
const LEASE_MS = 2_000;

type Listener = (event: StreamedEvent) => void;

/** A caller of `wait`; `untilListed`: it is told once D1 lists the run as it stands, not before. */
interface Waiter {
  untilListed: boolean;
  done(view: RunView): void;
}

/** What executing a step produced: its result and, for the record, what it consumed. */
interface Executed {
  result: StepResult;
  llmCalls: LlmCall[];
  /** With the draw `advance` uses for the retry jitter. */
  effects: StepEffects;
}

/** What a run needs from the Worker's bindings to act, for one run. */
export interface RunWiringRequest {
  runId: string;
  /** See `StartRun.event_hops`. */
  eventHops?: number;
  approvals: ApprovalGate;
  workspace: (op: WorkspaceOp) => Promise<unknown>;
  /** The caller's role, which sub-runs the run's code starts inherit. */
  principal: string;
  /** For a run a domain contract governs: the gate every call of its steps passes (sandboxed code reaches it through `contractDecide`). */
  gate?: CallGate;
  /** Records the current step's turn in the process's sandbox lane (sandbox/lane.ts). */
  sandboxTurn: SandboxTurn;
}

export interface RunWiring {
  tools: ToolRegistry;
  effects: Effects;
}

/**
 * The run's state machine. The class workerd instantiates (`ChainRun`, in the wiring layer)
 * extends it with `wire`, which builds the run's tools and effects from the Worker's bindings,
 * so this layer knows no provider, tool service or sandbox host.
 */
export abstract class ChainRunObject extends DurableObject<Env> {
  protected readonly config: Config;
  private readonly listeners = new Set<Listener>();
  private readonly tokens = new StepTokens();
  private readonly waiters = new Set<Waiter>();
  private inflight?: AbortController;
  private driving?: Promise<void>;
  private wiring?: RunWiring;
  private opened?: { store: RunStore; d1: D1Copy };
  private governance?: RunGovernance;
  /** Between a run's settling and its D1 write (see `settle`). */
  private settling = false;
  /** The step being executed, so streamed tokens can be attributed to it. */
  private current?: { index: number; task_id: string; handler: string };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.config = readConfig(env);
  }

  /**
   * The run's storage and its D1 copy, opened on first use, not when the object starts: an
   * object woken ahead of its run (`warm`) writes nothing (not even its tables) until it has one.
   */
  private open(): { store: RunStore; d1: D1Copy } {
    if (this.opened) return this.opened;
    const store = new RunStore(this.ctx.storage);
    this.opened = { store, d1: new D1Copy(store, d1Writer(this.env.DB, this.config.testD1FaultsUrl)) };
    return this.opened;
  }

  protected get store(): RunStore {
    return this.open().store;
  }

  private get d1(): D1Copy {
    return this.open().d1;
  }

  protected abstract wire(request: RunWiringRequest): RunWiring;

  /**
   * Stores the run and starts driving it at once; the lease alarm set first guarantees the run
   * resumes if this instance dies before its first step is recorded. Idempotent per run id.
   * The caller lists the run in D1 (run/start.ts).
   */
  async start(start: StartRun): Promise<RunView> {
    const state = initialState(start.chain, { run_id: start.run_id, input: start.input, vars: start.vars });
    return this.begin(() => this.store.initialise(start, { ...state, status: "queued" }, NOT_STARTED));
  }

  /** `start`, then `wait` for the run's end without D1: one round trip for a caller that answers with the result. */
  async startAndWait(start: StartRun, timeoutMs: number): Promise<RunView | undefined> {
    await this.startListed(start);
    return this.wait(timeoutMs, false);
  }

  /** `start`, with the run's event stream from its first event: one round trip for a caller that streams the run. */
  async startFollowed(start: StartRun): Promise<{ view: RunView; events: ReadableStream<Uint8Array> }> {
    const view = await this.startListed(start);
    return { view, events: this.events(eventPosition(null)).body! };
  }

  /**
   * `start` for a caller that answers from the run and does not list it in D1: the object does,
   * once the run has lasted D1_SYNC_MS (a run that ends sooner is listed by its final write).
   */
  private async startListed(start: StartRun): Promise<RunView> {
    const view = await this.start(start);
    setTimeout(() => void this.syncToD1(false), D1_SYNC_MS);
    return view;
  }

  /** Does nothing: called ahead of `start`, it gets the object started up meanwhile (see run/start.ts). */
  async warm(): Promise<void> {}

  /** Starts a fork: from `state`, with the copied steps, their effects and the workspace as it was (see run/fork.ts). */
  async startFork(start: StartRun, state: RunState, prefix: ForkPrefix): Promise<RunView> {
    return this.begin(() => this.store.initialiseFork(start, { ...state, status: "queued" }, NOT_STARTED, prefix));
  }

  private async begin(store: () => void): Promise<RunView> {
    const existing = this.view();
    if (existing) return existing;
    store();
    const lease = Date.now() + LEASE_MS;
    const armed = this.ctx.storage.setAlarm(lease);
    this.ctx.waitUntil(this.drive(lease));
    await armed;
    return this.view()!;
  }

  /** What a fork from `point` starts with, read from this run's record (see run/time-travel.ts). */
  forkSeed(point: ForkPoint): ForkSeedResult {
    return forkSeed(this.store, point, { defaults: macroDefaults(this.config), maxOutputBytes: this.config.maxStepOutputBytes });
  }

  /** Replays the recorded steps against `chain` (by default the run's own), calling nothing. */
  async replay(chain?: Chain): Promise<ReplayReport | undefined> {
    return replayRecorded(this.store, chain);
  }

  view(): RunView | undefined {
    const start = this.store.start();
    const state = this.store.state();
    if (!start || !state) return undefined;
    const view = runView(start, state, this.store.nextStepIndex(), this.store.times(), state.status === "waiting" ? this.store.approvals("pending") : []);
    const d1 = this.d1.status();
    return d1 ? { ...view, d1_copy: d1 } : view;
  }

  /**
   * Rewrites the run's D1 row (and any step rows D1 lacks) now, starting the retries over: the
   * repair path for a copy that fell behind (`POST /runs/:id/resync`, the scheduled sweep).
   */
  async resync(): Promise<RunView | undefined> {
    if (!this.view()) return undefined;
    this.d1.reset();
    await this.syncToD1();
    return this.view();
  }

  approvals(): Approval[] {
    return this.store.approvals();
  }

  /** Approves or denies a pending call; the run resumes once no call is pending. */
  async decide(callId: string, decision: ApprovalDecision, reason: string | null): Promise<DecideOutcome> {
    const now = Date.now();
    const decided = decideApproval(this.store, callId, decision, reason, now);
    if (!decided.ok) return decided;
    this.publish(decided.events);
    if (decided.resumed) await this.ctx.storage.setAlarm(now);
    await this.syncToD1();
    return { ok: true, approval: decided.approval, run: this.view()! };
  }

  /** A workspace operation for this run (the workspace tools of code running elsewhere call this). */
  async workspace(op: WorkspaceOp): Promise<unknown> {
    if (!this.store.start()) return { error: "The workspace belongs to a run, and there is no such run." };
    return runWorkspaceOp(this.store.files, op, Date.now());
  }

  steps(): StepRecord[] {
    return this.store.steps();
  }

  /** The chain as this run started it (a snapshot: later versions of the chain do not change it). */
  chain(): Chain | undefined {
    return this.store.start()?.chain;
  }

  /**
   * Resolves when the run has ended or is waiting for approvals (it cannot move on its own),
   * or with its current view after `timeoutMs`. By default only once D1 lists it so too (or the
   * write failed), so a caller's next `GET /runs` agrees; a caller that answers from the run
   * itself (a chat completion) passes `untilListed` false and keeps D1 off its answer's path.
   */
  async wait(timeoutMs: number, untilListed = true): Promise<RunView | undefined> {
    const view = this.view();
    const stopped = view !== undefined && (isTerminal(view.status) || view.status === "waiting");
    // A caller that arrives while the run settles, its D1 write still to come, waits for it.
    if (!view || (stopped && !(untilListed && this.settling))) return view;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        untilListed,
        done: (v) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(v);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(this.view());
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Where this run stands among sub-runs: what a sub-run its code starts records as its parent. */
  lineage(): (RunLineage & { run_id: string }) | undefined {
    const start = this.store.start();
    return start && { run_id: start.run_id, ...lineageOf(start) };
  }

  /** On a root run: counts a sub-run started anywhere below it against its budget (run/descendants.ts). */
  adoptDescendant(runId: string): Adoption {
    return adoptDescendant(this.store, runId, this.config.limits.subRunDescendants);
  }

  /**
   * Stops at the next step boundary and aborts the in-flight LLM/tool call; a root run also
   * cancels every sub-run below it that is still live.
   */
  async cancel(): Promise<RunView | undefined> {
    await this.cancelOwn();
    await cancelDescendants(this.env, this.store.descendants());
    return this.view();
  }

  private async cancelOwn(): Promise<void> {
    const view = this.view();
    if (!view || isTerminal(view.status)) return;
    this.store.setTimes({ ...this.store.times(), cancel_requested: true });
    if (this.inflight) {
      this.inflight.abort(new Error("run cancelled"));
    } else {
      await this.finishCancelled();
    }
  }

  /** `GET /runs/:id/events`: Server-Sent Events, replayed from `Last-Event-ID`. */
  override async fetch(request: Request): Promise<Response> {
    return this.events(eventPosition(request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("last_event_id")));
  }

  private events(position: EventPosition): Response {
    const view = this.view();
    return eventStream({
      past: [...this.store.eventsAfter(position.seq), ...this.tokens.missed(position)],
      ended: !view || isTerminal(view.status),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    });
  }

  /**
   * Resumes the run (after a backoff, an eviction or a crash) unless it is already being driven,
   * then catches D1 up with a run that will not step again.
   */
  override async alarm(): Promise<void> {
    // Armed before anything can stall, so a crash during this alarm still leaves the next one.
    if (this.settled() && this.d1.behind()) await this.armD1Retry();
    await this.drive();
    if (this.settled() && this.d1.behind()) await this.syncToD1();
  }

  /**
   * One driver at a time per instance: a second caller joins the running one. `lease`: when the
   * alarm the caller has just armed fires, if it did.
   */
  private drive(lease = 0): Promise<void> {
    this.driving ??= this.stepUntilPause(lease).finally(() => (this.driving = undefined));
    return this.driving;
  }

  private async stepUntilPause(lease: number): Promise<void> {
    const sliceEnd = Date.now() + SLICE_MS;
    // Nothing else moves the alarm while the run steps (only a pause, an end or a backoff does,
    // and each ends this loop), so the lease last armed here is still the armed alarm.
    let leaseEnd = lease;
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
      if (leaseEnd - now < LEASE_MS / 2) {
        leaseEnd = now + LEASE_MS;
        await this.ctx.storage.setAlarm(leaseEnd);
      }
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
    if (task && callsTools(task) && (await this.pausedForApproval(start, state, task, running, startedAt))) return;
    const previous = this.store.inFlight();
    const interrupted = previous && previous.index === index && previous.attempt === before.attempt ? previous : undefined;
    const starts = interrupted ? interrupted.starts + 1 : 1;
    const suspect = interrupted?.suspect === true || interrupted?.sandbox?.alone === false;
    if (!task || !CALLS_NOTHING.has(task.handler)) this.store.setInFlight({ index, task_id: taskId, attempt: before.attempt, started_at: startedAt, starts, ...(suspect ? { suspect } : {}) });
    const started = this.store.appendEvent("step.started", { index, task_id: taskId, attempt: before.attempt, restarted: starts > 1 });
    this.tokens.begin(started.id);
    this.publish([started]);

    const crash = interrupted?.sandbox?.alone
      ? "the runtime stopped while this task's code ran with no other sandbox beside it, so it stopped the runtime"
      : starts > MAX_STEP_STARTS
        ? `it was interrupted ${starts - 1} times in a row (the runtime stopped while it ran)`
        : undefined;
    const executed = crash ? this.crashed(start, taskId, crash, startedAt) : await this.execute(start, state, index, taskId, task);
    // From here to the record nothing waits, so no follower can arrive between the two.
    this.tokens.end();
    const { llmCalls, effects } = executed;
    const result = boundResult(executed.result);
    const decisions = start.contracts ? this.store.decisions(index) : [];

    const cancelled = this.store.times().cancel_requested;
    const advanced = advance(start.chain, state, result, { random: effects.random, maxSteps: effects.env.maxSteps, defaults: effects.env.defaults });
    state = cancelled && advanced.state.status !== "succeeded" ? cancelledState(advanced.state) : advanced.state;
    const retry = advanced.transition.retry;
    const record = boundEval(
      stepRecord(
        { index, task_id: taskId, task, before, result, transition: advanced.transition, llm_calls: llmCalls, started_at: startedAt, duration_ms: Date.now() - startedAt, contract_decisions: decisions },
        this.config.maxStepOutputBytes,
      ),
    );
    const ended = isTerminal(state.status);
    const nextTimes: RunTimes = {
      ...running,
      cancel_requested: cancelled,
      retry_at: retry && retry.delay_ms > 0 ? Date.now() + retry.delay_ms : null,
      finished_at: ended ? Date.now() : null,
    };
    const events: Array<{ type: string; data: unknown }> = [{ type: "step.completed", data: { index, task_id: taskId, eval: record.eval, goto: record.goto, error: record.error, duration_ms: record.duration_ms } }];
    if (ended) events.push({ type: "run.finished", data: { id: start.run_id, status: state.status, error: state.error ?? null } });
    this.publish(this.store.recordStep(record, effects, state, nextTimes, events));
    if (ended) await this.settle();
    else await this.syncToD1(nextTimes.retry_at !== null);
  }

  /** Runs the step, recording everything it consumes (see engine/recording.ts). */
  private async execute(start: StartRun, state: RunState, index: number, taskId: string, task: Task | undefined): Promise<Executed> {
    this.inflight = new AbortController();
    this.current = { index, task_id: taskId, handler: task?.handler ?? "unknown" };
    const recorder = recordEffects(this.wired(start).effects);
    try {
      const env: StepEnv = { ...(await this.stepEnv(start, task)), maxSteps: this.maxSteps(start) };
      const result = await executeStep(start.chain, state, recorder.effects, env, { signal: this.inflight.signal, client_tools: start.client_tools });
      const taken = recorder.take();
      return { result, llmCalls: taken.llm_calls, effects: stepEffects(taken.effects, result, env, Math.random(), this.config.maxStepOutputBytes) };
    } finally {
      this.inflight = undefined;
      this.current = undefined;
    }
  }

  /** A step not started again after crashing the runtime `crashes` times: it fails, and cannot be replayed. */
  private crashed(start: StartRun, taskId: string, why: string, now: number): Executed {
    const env: StepEnv = { now, toolNames: [], defaults: macroDefaults(this.config), maxSteps: this.maxSteps(start) };
    return { result: crashedStep(taskId, why), llmCalls: [], effects: { env, random: Math.random(), effects: [], unreplayable: `${why}; it never ran to its end` } };
  }

  /** When a call of this step needs a decision, the run waits (the step does not start) and true is returned. */
  private async pausedForApproval(start: StartRun, state: RunState, task: Task, times: RunTimes, now: number): Promise<boolean> {
    const input = recordedInput(task, state);
    const entries = await this.wired(start).tools.entries();
    const events = pauseForApprovals(this.store, { start, state, task, times, input, entries, now });
    if (!events) return false;
    this.publish(events);
    await this.ctx.storage.deleteAlarm();
    await this.settle();
    return true;
  }

  /** The run's tools and effects, with every LLM reply streamed so its tokens reach SSE followers as they arrive. */
  private wired(start: StartRun): RunWiring {
    if (this.wiring) return this.wiring;
    const governance = this.governed(start);
    const { tools, effects } = this.wire({
      runId: start.run_id,
      ...(start.event_hops !== undefined ? { eventHops: start.event_hops } : {}),
      approvals: approvalGate(this.store),
      workspace: (op) => this.workspace(op),
      principal: start.principal ?? ADMIN_ROLE,
      ...(governance ? { gate: contractGate(governance) } : {}),
      sandboxTurn: this.sandboxTurn(),
    });
    // Tokens go to live listeners only: the step's output is what is stored, so a token costs
    // no write (and waits for none) on its way out.
    const onToken = (text: string) => {
      const token = this.current && this.tokens.add({ ...this.current, delta: text });
      if (token) this.publish([token]);
    };
    const { llm } = effects;
    this.wiring = { tools, effects: { ...effects, llm: { chat: (request, signal, onDelta) => llm.chat(request, signal, (text) => (onDelta?.(text), onToken(text))) } } };
    return this.wiring;
  }

  /** The in-flight record of the step's sandboxed code, by which a crash of the process is blamed (sandbox/lane.ts). */
  private sandboxTurn(): SandboxTurn {
    const update = (change: (running: number) => InFlight["sandbox"]) => {
      const inflight = this.store.inFlight();
      if (!inflight) return;
      const { sandbox: _was, ...rest } = inflight;
      const sandbox = change(inflight.sandbox?.running ?? 0);
      this.store.setInFlight(sandbox ? { ...rest, sandbox } : rest);
    };
    return {
      alone: () => this.store.inFlight()?.suspect === true,
      started: (alone) => update((running) => ({ alone, running: running + 1 })),
      ended: () => update((running) => (running > 1 ? { alone: this.store.inFlight()?.sandbox?.alone ?? false, running: running - 1 } : undefined)),
    };
  }

  private async stepEnv(start: StartRun, task: Task | undefined) {
    const shows = task && macrosShown(task);
    // Loading the registry costs a D1 read, so only a task that shows the tool list pays for it.
    const toolNames = shows?.toolList ? (await this.wired(start).tools.list(["*"])).map((t) => t.name) : [];
    // Rendered only for a task that shows it, so other steps' recorded environments stay small.
    const contract = task && shows?.contract ? this.governed(start)?.text(task.id) : undefined;
    return { now: Date.now(), toolNames, defaults: macroDefaults(this.config), ...(contract ? { contract } : {}) };
  }

  /** The run's side of its domain contract; undefined for a run no contract governs. */
  private governed(start: StartRun): RunGovernance | undefined {
    if (!start.contracts) return undefined;
    this.governance ??= new RunGovernance(start, {
      store: this.store,
      step: () => this.current?.index ?? this.store.nextStepIndex(),
      publish: (events) => this.publish(events),
      now: () => Date.now(),
      maxResultBytes: this.config.maxStepOutputBytes,
    });
    return this.governance;
  }

  /**
   * The contract's decision about a call sandboxed code of this run makes (the capability host
   * asks before it calls the tool): the entity's state is read here, through the run's tools.
   * Undefined when no contract governs the call's task.
   */
  async contractDecide(call: GatedCall): Promise<ContractDecision | undefined> {
    const start = this.store.start();
    const governance = start && this.governed(start);
    if (!start || !governance) return undefined;
    const { tools } = this.wired(start);
    const ctx = { runId: start.run_id, taskId: call.task_id, idempotencyKey: `${start.run_id}:contract-read:${crypto.randomUUID()}` };
    return governance.decide(call, (tool, args) => tools.read(tool, args, ctx));
  }

  /** How an allowed call from sandboxed code ended. */
  async contractSettle(decision: ContractDecision, result: unknown): Promise<void> {
    const start = this.store.start();
    await (start && this.governed(start))?.settle(decision, result);
  }

  private maxSteps(start: StartRun): number {
    return Math.min(start.chain.max_steps ?? this.config.stepLimit, this.config.stepLimit);
  }

  private async finish(start: StartRun, state: RunState, times: RunTimes, error: RunError): Promise<void> {
    const failed: RunState = { ...state, status: "failed", current_task: null, error };
    this.publish(this.store.saveState(failed, { ...times, finished_at: Date.now() }, [{ type: "run.finished", data: { id: start.run_id, status: "failed", error } }]));
    await this.settle();
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
    await this.settle();
  }

  /**
   * Brings D1 up to date. A stepping run's next step (or its lease alarm) retries a failed
   * write; a run that will not step again — ended, or waiting for approvals — has an alarm armed
   * before the write and removed only once D1 has caught up, so neither a failed write nor a
   * crash during it leaves D1 behind for good.
   */
  private async syncToD1(force = true): Promise<void> {
    if (!this.store.start()) return;
    const settled = this.settled();
    if (settled && this.d1.behind()) await this.armD1Retry();
    // A run that has started has a view.
    const caughtUp = await this.d1.sync(() => this.view()!, force);
    // The run may have moved meanwhile (an approval resumed it, arming its alarm): the alarm is
    // this write's to remove or re-arm only while the run still will not step on its own.
    if (!settled || !this.settled()) return;
    if (caughtUp) await this.ctx.storage.deleteAlarm();
    else await this.armD1Retry();
  }

  private async armD1Retry(): Promise<void> {
    const delay = this.d1.retryDelay();
    if (delay !== undefined) await this.ctx.storage.setAlarm(Date.now() + delay);
  }

  /** Whether the run will not step again on its own: it ended, or waits for a human. */
  private settled(): boolean {
    const status = this.store.state()?.status;
    return status === undefined || isTerminal(status) || status === "waiting";
  }

  private publish(events: StreamedEvent[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }

  /**
   * The run will not move on its own (it ended, or waits for a human): tells the waiters that do
   * not wait for D1 at once, writes D1, then tells the rest.
   */
  private async settle(): Promise<void> {
    this.settling = true;
    try {
      this.notifyWaiters(false);
      // The answer of a waiter that does not wait for D1 leaves before the write is built.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await this.syncToD1();
    } finally {
      this.settling = false;
    }
    this.notifyWaiters(true);
  }

  private notifyWaiters(listed: boolean): void {
    const view = this.view();
    if (!view) return;
    for (const waiter of [...this.waiters]) if (listed || !waiter.untilListed) waiter.done(view);
  }
}

/**
 * A step the object died in this many times in a row is not started again: whatever it does
 * takes the runtime down, so it fails instead. A step whose code was running alone when the
 * process died is failed at once (sandbox/lane.ts).
 */
const MAX_STEP_STARTS = 3;

function crashedStep(taskId: string, why: string): StepResult {
  return {
    output: null,
    eval: "",
    error: { type: "step_crashed", message: `Task "${taskId}" is not started again: ${why}.`, task_id: taskId, retryable: false },
  };
}

function cancelledState(state: RunState): RunState {
  const error: RunError = { type: "cancelled", message: "The run was cancelled.", task_id: state.current_task ?? undefined };
  return { ...state, status: "cancelled", current_task: null, error };
}
