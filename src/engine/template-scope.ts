/**
 * The template scope of a run: what `{{.input}}`, `{{.previous_output}}` and `{{.<task_id>}}`
 * read at a given point. Before the first task completes, the previous output is the run input.
 */

import type { TemplateScope } from "./templates";
import type { RunState } from "./run-state";

export function templateScope(state: Readonly<RunState>): TemplateScope {
  return {
    input: state.input,
    previous_output: state.previous_output === undefined ? state.input : state.previous_output,
    outputs: state.outputs,
  };
}
