/**
 * Time travel over one run's own store: replaying its recorded steps against a chain (calling
 * nothing), and the seed of a fork — the state before a step, the steps and effects to copy,
 * and the workspace writes made before it. The run's object answers both from its SQLite; the
 * fork itself is started by `run/fork.ts` in a new object.
 */
import type { Chain } from "../engine/chain";
import { stateBefore } from "../engine/fork";
import type { StartRun } from "../engine/records";
import { replayRun, type ReplayReport } from "../engine/replay";
import type { RunState } from "../engine/run-state";
import { initialState } from "../engine/step";
import { truncateForLog } from "../engine/truncate";
import type { ForkPrefix, RunStore } from "./store";

export interface ForkSeed {
  start: StartRun;
  /** The state before the step forked from, the patch applied. */
  state: RunState;
  prefix: ForkPrefix;
}

/** A fork's seed, or why there is none (with the request field at fault, when one is). */
export type ForkSeedResult = { ok: true; seed: ForkSeed } | { ok: false; status: 400 | 409; path?: string; message: string };

export interface ForkPoint {
  from_step: number;
  patch?: unknown;
}

/** Replays the run's own steps (a fork's: those after its copied prefix) against `chain`, by default its own. */
export function replayRecorded(store: RunStore, chain?: Chain): Promise<ReplayReport> | undefined {
  const start = store.start();
  if (!start) return undefined;
  const target = chain ?? start.chain;
  const effects = store.stepEffects();
  const steps = store
    .steps()
    .filter((record) => record.copied_from === undefined)
    .map((record) => ({ record, effects: effects.get(record.index) }));
  const state = store.seed() ?? initialState(target, { run_id: start.run_id, input: start.input, vars: start.vars });
  return replayRun({ chain: target, state, steps, ...(start.client_tools ? { client_tools: start.client_tools } : {}) });
}

/**
 * `defaults`: the var defaults to assume for steps recorded without their environment;
 * `maxOutputBytes`: the bound of a patched output in the copied record.
 */
export function forkSeed(store: RunStore, point: ForkPoint, options: { defaults: Record<string, string>; maxOutputBytes: number }): ForkSeedResult {
  const start = store.start();
  if (!start) return { ok: false, status: 409, message: "The run has no record to fork." };
  const records = store.steps();
  const { from_step, patch } = point;
  if (from_step >= records.length) {
    return { ok: false, status: 400, path: "from_step", message: `from_step ${from_step} is beyond the run's ${records.length} recorded steps; it must be below ${records.length}` };
  }
  if (patch !== undefined && from_step === 0) {
    return { ok: false, status: 400, path: "patch", message: "patch replaces the output of step from_step - 1, and from_step 0 has no step before it" };
  }
  // A fork's own record starts where it was forked: its copied steps are another run's.
  const copied = records.filter((record) => record.copied_from !== undefined).length;
  if (from_step < copied || (patch !== undefined && copied > 0 && from_step === copied)) {
    return { ok: false, status: 409, path: "from_step", message: `steps before ${copied} of this run were copied from run ${start.forked_from?.run_id}: fork that run from step ${from_step} instead` };
  }
  const effects = store.stepEffects();
  const initial = store.seed() ?? initialState(start.chain, { run_id: start.run_id, input: start.input, vars: start.vars });
  const folded = stateBefore(start.chain, initial, records.slice(copied), from_step, { patch, defaults: (index) => effects.get(index)?.env.defaults ?? options.defaults });
  if (!folded.ok) return { ok: false, status: 409, path: "from_step", message: folded.message };
  const next = records[from_step]!;
  if (folded.state.current_task !== next.task_id) {
    return { ok: false, status: 409, path: "from_step", message: `the copied steps lead to task "${folded.state.current_task}", but step ${from_step} ran "${next.task_id}"` };
  }
  const prefix = records.slice(0, from_step);
  return {
    ok: true,
    seed: {
      start,
      state: folded.state,
      prefix: {
        steps: prefix.map((record) => ({
          ...record,
          copied_from: { run_id: start.run_id, step: record.index },
          ...(patch !== undefined && record.index === from_step - 1 ? { output: truncateForLog(patch, options.maxOutputBytes), patched: true as const } : {}),
        })),
        effects: prefix.map((record) => effects.get(record.index)),
        files: store.fileWritesBefore(from_step),
      },
    },
  };
}
