/**
 * The state a fork starts from: the run's state as it was before step `fromStep`, rebuilt from
 * `initial` by folding the recorded step results after it through the pure `advance` — copied, not re-executed, so
 * no provider or tool sees a call. `patch` replaces the recorded output of the step before
 * (edit what the model said, then continue). Each fold must take the transition the record
 * shows, and an output the record cut to a marker cannot be copied into the state.
 */
import type { Chain } from "./chain";
import type { StepRecord } from "./records";
import type { RunState, StepResult } from "./run-state";
import { advance } from "./step";
import { isTruncated } from "./truncate";

export type ForkState = { ok: true; state: RunState } | { ok: false; message: string };

export interface ForkOptions {
  /** The recorded output of step `fromStep - 1` is replaced by this, when given. */
  patch?: unknown;
  /** Var defaults for each step's macros (from its recorded environment when there is one). */
  defaults: (index: number) => Record<string, string>;
}

export function stateBefore(chain: Chain, initial: RunState, records: readonly StepRecord[], fromStep: number, options: ForkOptions): ForkState {
  let state = initial;
  for (const record of records.filter((candidate) => candidate.index < fromStep)) {
    const patched = options.patch !== undefined && record.index === fromStep - 1;
    const result: StepResult = {
      output: patched ? options.patch : record.output,
      eval: record.eval,
      // A retried attempt is exactly one whose error was retryable; for any other the answer
      // leads to the same transition.
      ...(record.error ? { error: { ...record.error, retryable: record.retry !== undefined } } : {}),
      ...(record.usage ? { usage: record.usage } : {}),
    };
    // The record shows the run went on, so no ceiling applies to the copy.
    const next = advance(chain, state, result, { random: 0, maxSteps: Number.MAX_SAFE_INTEGER, defaults: options.defaults(record.index) });
    const goto = next.transition.to ?? "end";
    if (goto !== (record.goto ?? "end")) {
      return { ok: false, message: `step ${record.index} (task "${record.task_id}") cannot be copied: folded again it goes to "${goto}", but the record says "${record.goto}"` };
    }
    state = next.state;
  }
  const cut = Object.entries(state.outputs).find(([, output]) => isTruncated(output));
  if (cut || isTruncated(state.previous_output)) {
    const task = cut?.[0] ?? "the previous step";
    return { ok: false, message: `the output of ${cut ? `task "${task}"` : task} was cut in the record (over the step output limit), so the state before step ${fromStep} cannot be copied; fork from an earlier step` };
  }
  return { ok: true, state };
}
