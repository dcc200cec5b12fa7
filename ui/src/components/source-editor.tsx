/**
 * A plain-text editor for chain sources with the validation problems at their place: the range
 * each problem points at is marked under the text, and its line is flagged in the gutter. A
 * textarea (so typing, selection, undo and Tab-to-leave work as everywhere) over a mirror that
 * draws the marks.
 */
import { useRef } from "preact/hooks";
import type { Problem } from "../api/types";
import type { Place } from "../lib/problem-place";

export interface PlacedProblem {
  problem: Problem;
  place?: Place;
}

interface Props {
  label: string;
  value: string;
  onInput: (value: string) => void;
  problems: PlacedProblem[];
}

export function SourceEditor({ label, value, onInput, problems }: Props) {
  const mirror = useRef<HTMLPreElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split("\n").length;
  const byLine = new Map<number, PlacedProblem[]>();
  for (const p of problems) if (p.place) byLine.set(p.place.line, [...(byLine.get(p.place.line) ?? []), p]);
  const sync = (e: Event) => {
    const area = e.currentTarget as HTMLTextAreaElement;
    if (mirror.current) {
      mirror.current.scrollTop = area.scrollTop;
      mirror.current.scrollLeft = area.scrollLeft;
    }
    if (gutter.current) gutter.current.scrollTop = area.scrollTop;
  };
  return (
    <div class="editor">
      <div class="editor-gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => {
          const here = byLine.get(i + 1);
          return (
            <div key={i} class={here ? `gutter-problem gutter-${here.some((p) => p.problem.severity === "error") ? "error" : "warning"}` : ""} title={here?.map((p) => p.problem.message).join("\n")}>
              {i + 1}
            </div>
          );
        })}
      </div>
      <div class="editor-body">
        <pre class="editor-mirror" ref={mirror} aria-hidden="true">
          {marked(value, problems)}
          {"\n"}
        </pre>
        <textarea aria-label={label} spellcheck={false} wrap="off" value={value} onInput={(e) => onInput(e.currentTarget.value)} onScroll={sync} />
      </div>
    </div>
  );
}

function marked(text: string, problems: PlacedProblem[]) {
  const ranges = problems
    .filter((p): p is Required<PlacedProblem> => p.place !== undefined)
    .sort((a, b) => a.place.offset - b.place.offset);
  const parts = [];
  let at = 0;
  for (const { problem, place } of ranges) {
    if (place.offset < at) continue;
    parts.push(text.slice(at, place.offset));
    const end = Math.max(place.offset + place.length, place.offset + 1);
    parts.push(
      <mark class={`mark-${problem.severity}`} data-path={problem.path} data-line={place.line}>
        {text.slice(place.offset, end) || " "}
      </mark>,
    );
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}
