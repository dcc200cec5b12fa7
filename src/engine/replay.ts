/**
 * Replay: runs a chain against a run's recorded steps with the engine's own step function —
 * `executeStep` over `ReplayEffects` (which call nothing), then `advance` with the recorded
 * jitter — and reports the first step that behaves otherwise than recorded: another task or
 * handler, another effect asked for (a different prompt, tool call or program), another eval,
 * error, output or transition. Replaying with the chain the run used shows that the record is
 * complete; replaying with an edited chain shows where the edit changes what runs would do.
 *
 * A step recorded without its effects (runs from before effects were recorded), or whose needed
 * effect was cut to a truncation marker, ends the replay as not replayable, with the reason.
 */
import type { Chain } from "./chain";
import type { ToolSpec } from "./chat";
import type { StepRecord } from "./records";
import type { StepEffects } from "./recording";
import { ReplayEffects, type EffectRequest } from "./replay-effects";
import type { RunState } from "./run-state";
import { advance, executeStep } from "./step";
import { matchesRecorded } from "./truncate";

export interface ReplayInput {
  chain: Chain;
  /** The state before the first step replayed (the run's initial state, or a fork's). */
  state: RunState;
  steps: Array<{ record: StepRecord; effects?: StepEffects }>;
  client_tools?: ToolSpec[];
}

export type DivergenceReason = "task" | "handler" | "effect" | "eval" | "error" | "output" | "transition";

export interface Divergence {
  step: number;
  task_id: string;
  reason: DivergenceReason;
  message: string;
  recorded: unknown;
  replayed: unknown;
}

export interface ReplayedStep {
  index: number;
  task_id: string;
  handler: string;
  eval: string;
  goto: string;
  error: string | null;
}

export interface ReplayReport {
  replayable: boolean;
  /** Why the replay could not go on, when `replayable` is false. */
  reason?: string;
  diverged: boolean;
  first_divergence: Divergence | null;
  /** The steps replayed, up to the divergence or the end of the record. */
  steps: ReplayedStep[];
}

export async function replayRun(input: ReplayInput): Promise<ReplayReport> {
  const { chain } = input;
  const steps: ReplayedStep[] = [];
  const notReplayable = (reason: string): ReplayReport => ({ replayable: false, reason, diverged: false, first_divergence: null, steps });
  const diverged = (divergence: Divergence): ReplayReport => ({ replayable: true, diverged: true, first_divergence: divergence, steps });
  let state = input.state;

  for (const { record, effects } of input.steps) {
    const at = { step: record.index, task_id: record.task_id };
    const replayedTask = state.status === "running" || state.status === "queued" ? state.current_task : null;
    if (replayedTask !== record.task_id) {
      return diverged({ ...at, reason: "task", message: `the replay is at ${replayedTask === null ? "the end" : `task "${replayedTask}"`} where the record ran task "${record.task_id}"`, recorded: record.task_id, replayed: replayedTask ?? "end" });
    }
    const handler = chain.tasks.find((task) => task.id === record.task_id)?.handler ?? "unknown";
    if (handler !== record.handler) {
      return diverged({ ...at, reason: "handler", message: `task "${record.task_id}" now runs handler "${handler}", recorded "${record.handler}"`, recorded: record.handler, replayed: handler });
    }
    if (effects === undefined) return notReplayable(`step ${record.index} (task "${record.task_id}") was recorded without its effects: the run was recorded before effects were, so it cannot be replayed`);
    if (effects.unreplayable) return notReplayable(`step ${record.index} (task "${record.task_id}") cannot be replayed: ${effects.unreplayable}`);

    const replay = new ReplayEffects(effects, record.llm_calls ?? []);
    const result = await executeStep(chain, state, replay, effects.env, { signal: replay.signal, ...(input.client_tools ? { client_tools: input.client_tools } : {}) });
    if (replay.unservable) return notReplayable(`step ${record.index} (task "${record.task_id}") cannot be replayed: ${replay.unservable}`);
    if (replay.divergence) return diverged({ ...at, reason: "effect", ...replay.divergence });
    const [leftOver] = replay.leftOver();
    if (leftOver !== undefined) {
      const recorded: EffectRequest = replay.asRequest(leftOver);
      return diverged({ ...at, reason: "effect", message: `the step did not ask for an effect the recorded step asked for (${recorded.kind})`, recorded, replayed: null });
    }
    if (result.eval !== record.eval) {
      return diverged({ ...at, reason: "eval", message: `task "${record.task_id}" evaluated to ${JSON.stringify(result.eval)}, recorded ${JSON.stringify(record.eval)}`, recorded: record.eval, replayed: result.eval });
    }
    const error = result.error?.type ?? null;
    if (error !== (record.error?.type ?? null)) {
      return diverged({ ...at, reason: "error", message: `task "${record.task_id}" ended with error ${error ?? "none"}, recorded ${record.error?.type ?? "none"}`, recorded: record.error, replayed: result.error ?? null });
    }
    if (!matchesRecorded(record.output, result.output)) {
      return diverged({ ...at, reason: "output", message: `task "${record.task_id}" produced another output than recorded`, recorded: record.output, replayed: result.output ?? null });
    }
    const next = advance(chain, state, result, { random: effects.random, maxSteps: effects.env.maxSteps, defaults: effects.env.defaults });
    const goto = next.transition.to ?? "end";
    const recordedGoto = record.goto ?? "end";
    if (goto !== recordedGoto) {
      return diverged({ ...at, reason: "transition", message: `task "${record.task_id}" now goes to "${goto}", recorded "${recordedGoto}"`, recorded: recordedGoto, replayed: goto });
    }
    steps.push({ index: record.index, task_id: record.task_id, handler, eval: result.eval, goto, error });
    state = next.state;
  }
  return { replayable: true, diverged: false, first_divergence: null, steps };
}
