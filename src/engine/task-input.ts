/**
 * Which value a task receives as its input. The step function hands it to the handler, and the
 * run records and asks approvals about the same value, so all three always agree.
 */
import { EngineError } from "./errors";
import type { Task } from "./chain";
import type { RunState } from "./run-state";

/** `input_var`'s value, else the previous output, else the run input. */
export function taskInput(task: Task, state: RunState): unknown {
  const name = task.input_var;
  if (name === undefined || name === "") return state.previous_output === undefined ? state.input : state.previous_output;
  if (Object.hasOwn(state.outputs, name)) return state.outputs[name];
  if (name === "input") return state.input;
  if (Object.hasOwn(state.vars, name)) return state.vars[name];
  throw new EngineError(
    "missing_var",
    `task "${task.id}" reads input_var "${name}", which is neither a run var nor the output of a task that has run`,
  );
}

/** The task's input as the handler receives it; none when it cannot be read (the step then fails saying why). */
export function recordedInput(task: Task, state: RunState): unknown {
  try {
    return taskInput(task, state);
  } catch {
    return undefined;
  }
}
