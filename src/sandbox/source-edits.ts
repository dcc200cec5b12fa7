/**
 * Offset-based source editing: the sandbox rewrites user code by inserting text around AST node
 * ranges instead of regenerating it, so the code a user sees in the envelope stays their own.
 *
 * Every insertion is a `wrap` of a node's range (an insertion before a statement is a wrap with
 * an empty `after`), which makes nesting unambiguous however the AST was walked: at one offset,
 * closing text of inner nodes comes before closing text of outer ones, and opening text of outer
 * nodes before opening text of inner ones.
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
    const seq = this.insertions.length;
    if (before) this.insertions.push({ at: start, text: before, start, end, closing: false, seq });
    if (after) this.insertions.push({ at: end, text: after, start, end, closing: true, seq });
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
