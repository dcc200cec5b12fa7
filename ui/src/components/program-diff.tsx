/**
 * Two versions of a text side by side, changed lines marked: the programs of a code-mode run
 * that was repaired, or two versions of a chain.
 */
import { diffLines } from "diff";
import { highlightLines, type Language } from "./code-view";

interface Cell {
  no: number;
  html: string;
  kind: "same" | "removed" | "added";
}

type Row = [Cell | undefined, Cell | undefined];

function rowsOf(before: string, after: string, language: Language): Row[] {
  const left = highlightLines(before, language);
  const right = highlightLines(after, language);
  const rows: Row[] = [];
  let l = 0;
  let r = 0;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const count = part.count ?? part.value.split("\n").length;
    if (!part.added && !part.removed) {
      for (let k = 0; k < count; k++, l++, r++) rows.push([{ no: l + 1, html: left[l] ?? "", kind: "same" }, { no: r + 1, html: right[r] ?? "", kind: "same" }]);
      continue;
    }
    const next = parts[i + 1];
    const removed = part.removed ? count : 0;
    const added = part.added ? count : next?.added ? (next.count ?? 0) : 0;
    if (part.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed, added); k++) {
      rows.push([k < removed ? { no: ++l, html: left[l - 1] ?? "", kind: "removed" } : undefined, k < added ? { no: ++r, html: right[r - 1] ?? "", kind: "added" } : undefined]);
    }
  }
  return rows;
}

export function SideBySideDiff({ before, after, labels, language }: { before: string; after: string; labels: [string, string]; language: Language }) {
  const rows = rowsOf(before, after, language);
  return (
    <div class="diff" role="table" aria-label={`${labels[0]} compared with ${labels[1]}`}>
      <div class="diff-row diff-head" role="row">
        <span role="columnheader">{labels[0]}</span>
        <span role="columnheader">{labels[1]}</span>
      </div>
      {rows.map(([a, b], i) => (
        <div class="diff-row" role="row" key={i}>
          <DiffCell cell={a} />
          <DiffCell cell={b} />
        </div>
      ))}
    </div>
  );
}

function DiffCell({ cell }: { cell: Cell | undefined }) {
  if (!cell) return <span class="diff-cell diff-empty" role="cell" />;
  return (
    <span class={`diff-cell diff-${cell.kind}`} role="cell">
      <span class="line-no">{cell.no}</span>
      <code dangerouslySetInnerHTML={{ __html: cell.html || " " }} />
    </span>
  );
}
