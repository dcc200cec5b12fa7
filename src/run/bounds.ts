/**
 * Bounds what a run's records store, with the truncation marker of engine/truncate.ts (never
 * dropped silently). A Durable Object's SQLite and D1 both refuse a value (D1: a whole row) over
 * 2 MB: the run's own state is stored in parts (store.ts), but its D1 row — what `GET /runs`
 * lists — keeps its input, output and error within `VIEW_BOUNDS`.
 * The run's object serves its view whole (a chat's history is the OpenAI answer's source).
 */
import type { RunView, StepRecord } from "../engine/records";
import type { RunError, StepResult } from "../engine/run-state";
import { truncateForLog } from "../engine/truncate";

/** Bytes of each part of a run's D1 row; together well under D1's 2,000,000-byte row. */
export const VIEW_BOUNDS = { input: 256 * 1024, output: 1536 * 1024, error_chars: 8 * 1024, eval_chars: 8 * 1024 } as const;

/** A run's view as its D1 row may hold it: input and output bounded, the error's message shortened. */
export function boundView(view: RunView): RunView {
  return {
    ...view,
    input: truncateForLog(view.input, VIEW_BOUNDS.input),
    output: truncateForLog(view.output, VIEW_BOUNDS.output),
    error: view.error && boundError(view.error),
  };
}

/** A step's result with its error's message shortened: it goes into the run's state, its events and its D1 rows. */
export function boundResult(result: StepResult): StepResult {
  return result.error ? { ...result, error: boundError(result.error) } : result;
}

/** A step record's eval shortened (branches compared the whole of it before it is stored). */
export function boundEval(record: StepRecord): StepRecord {
  return { ...record, eval: shortText(record.eval, VIEW_BOUNDS.eval_chars) };
}

function boundError<E extends RunError>(error: E): E {
  return { ...error, message: shortText(error.message, VIEW_BOUNDS.error_chars) };
}

function shortText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
