/**
 * A run's steps as a table, one row per step (task, handler, eval, where it went, time, attempt,
 * model, tokens), each row choosable with the mouse or the keyboard. A fork's copied steps are
 * tagged (and the patched one); with a replay, each step says whether it replayed the same, and
 * the first divergent step is marked.
 */
import type { Step } from "../api/types";
import { duration, tokens } from "../lib/format";
import { Table } from "./table";

/** A replay's verdict per step: the steps it replayed as recorded, and the first that differed. */
export interface ReplayMarks {
  same: ReadonlySet<number>;
  diverged: number | null;
}

interface Props {
  steps: Step[];
  selected: number | undefined;
  onSelect: (index: number) => void;
  replay?: ReplayMarks;
}

const HEADS = ["#", "task", "handler", "eval", "→"];
const MORE_HEADS = ["took", "try", "model", "tokens"];

export function StepTimeline({ steps, selected, onSelect, replay }: Props) {
  if (steps.length === 0) return <p class="muted">No steps yet.</p>;
  return (
    <Table class="timeline" heads={[...HEADS, ...(replay ? ["replay"] : []), ...MORE_HEADS]}>
      {steps.map((step) => {
        const provider = step.llm_calls?.at(-1)?.provider;
        const diverged = replay?.diverged === step.index;
        return (
          <tr
            key={step.index}
            data-step-index={step.index}
            {...(step.copied_from ? { "data-copied": "true" } : {})}
            {...(step.patched ? { "data-patched": "true" } : {})}
            {...(diverged ? { "data-diverged": "true" } : {})}
            class={[step.index === selected && "selected", step.error && "step-failed", step.copied_from && "step-copied", diverged && "step-diverged"].filter(Boolean).join(" ")}
            tabIndex={0}
            aria-selected={step.index === selected}
            onClick={() => onSelect(step.index)}
            onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), onSelect(step.index))}
          >
            <td>
              {step.index}
              {step.copied_from && (
                <span class="tag tag-copied" title={`copied from run ${step.copied_from.run_id}, step ${step.copied_from.step}`}>
                  {step.patched ? "patched" : "copied"}
                </span>
              )}
            </td>
            <td>{step.task_id}</td>
            <td class="muted">{step.handler}</td>
            <td class="eval" title={step.eval}>
              {step.error ? `✗ ${step.error.type}` : step.eval}
            </td>
            <td>{step.goto ?? "–"}</td>
            {replay && <td class="replay-mark">{diverged ? "✗ diverged" : replay.same.has(step.index) ? "✓ same" : "–"}</td>}
            <td>{duration(step.duration_ms)}</td>
            <td>{step.attempt}</td>
            <td>{step.model ? `${step.model}${provider ? ` · ${provider}` : ""}` : "–"}</td>
            <td>{tokens(step.usage)}</td>
          </tr>
        );
      })}
    </Table>
  );
}
