/**
 * Offset-based source editing: the sandbox rewrites user code by inserting text around AST node
 * ranges instead of regenerating it, so the code a user sees in the envelope stays their own.
 *
 * Every insertion is a `wrap` of a node's range (an insertion before a statement is a wrap with
 * an empty `after`), which makes nesting unambiguous however the AST was walked: at one offset,
 * closing text of inner nodes comes before closing text of outer ones, and opening text of outer
 * nodes before opening text of inner ones. Where two nodes share a range (a statement and its
 * expression, a loop's braceless body and the statement it is), `wrapOutside` says which text
 * belongs to the outer one.
 */

interface Insertion {
  at: number;
  text: string;
  /** Extent of the wrapped node, used to order insertions that share an offset. */
  start: number;
  end: number;
  closing: boolean;
  seq: number;
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

export class SourceEdits {
  private readonly insertions: Insertion[] = [];
  private readonly replacements: Replacement[] = [];

  /** Puts `before` at `start` and `after` at `end` (the range of one node). */
  wrap(start: number, end: number, before: string, after = ""): void {
    this.insert(start, end, before, after, start, end);
  }

  /** Like `wrap`, outside every other wrap of the same range (and so of any range within it). */
  wrapOutside(start: number, end: number, before: string, after = ""): void {
    this.insert(start, end, before, after, start - 0.5, end + 0.5);
  }

  /** `start` and `end`: the extent that orders this wrap among others at the same offsets. */
  private insert(at: number, to: number, before: string, after: string, start: number, end: number): void {
    const seq = this.insertions.length;
    if (before) this.insertions.push({ at, text: before, start, end, closing: false, seq });
    if (after) this.insertions.push({ at: to, text: after, start, end, closing: true, seq });
  }

  /** Replaces `[start, end)`; must not overlap another replacement or contain a wrap offset. */
  replace(start: number, end: number, text: string): void {
    this.replacements.push({ start, end, text });
  }

  apply(source: string): string {
    const insertions = [...this.insertions].sort(compareInsertions);
    const replacements = [...this.replacements].sort((a, b) => a.start - b.start);
    let out = "";
    let cursor = 0;
    let r = 0;
    for (const insertion of insertions) {
      while (r < replacements.length && replacements[r]!.start < insertion.at) {
        const replacement = replacements[r++]!;
        out += source.slice(cursor, replacement.start) + replacement.text;
        cursor = replacement.end;
      }
      out += source.slice(cursor, insertion.at) + insertion.text;
      cursor = insertion.at;
    }
    for (const replacement of replacements.slice(r)) {
      out += source.slice(cursor, replacement.start) + replacement.text;
      cursor = replacement.end;
    }
    return out + source.slice(cursor);
  }
}

function compareInsertions(a: Insertion, b: Insertion): number {
  if (a.at !== b.at) return a.at - b.at;
  // A node that ends here closes before one that starts here opens.
  if (a.closing !== b.closing) return a.closing ? -1 : 1;
  if (a.closing) return b.start - a.start || b.seq - a.seq;
  return b.end - a.end || a.seq - b.seq;
}
