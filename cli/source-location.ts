/**
 * Where a problem's JSON path (`tasks[2].transition.branches[0].goto`) points in a chain's JSONC
 * source, as a 1-based line and column, found in jsonc-parser's syntax tree. A field the path
 * names but the text lacks (a missing `handler`, an older spelling) points at its nearest
 * ancestor that is there; a syntax error carries its own position in the engine's message.
 */
import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";
import type { Problem } from "../src/engine/errors";

export interface Location {
  line: number;
  column: number;
}

export function locate(text: string, problem: Problem): Location {
  const syntax = /^syntax error at (\d+):(\d+)/.exec(problem.message);
  if (syntax) return { line: Number(syntax[1]), column: Number(syntax[2]) };
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const segments = pathSegments(problem.path);
  for (let length = segments.length; root && length > 0; length--) {
    const node = findNodeAtLocation(root, segments.slice(0, length));
    if (node) return position(text, startOf(node));
  }
  return position(text, root?.offset ?? 0);
}

/** `tasks[2]["odd key"].goto` → `["tasks", 2, "odd key", "goto"]`: the engine's formatPath, read back. */
export function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (token.lastIndex < path.length) {
    const match = token.exec(path);
    if (!match) break;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
  }
  return segments;
}

/** A property's value is reported at its key, where a reader looks for it. */
function startOf(node: Node): number {
  return node.parent?.type === "property" ? node.parent.offset : node.offset;
}

function position(text: string, offset: number): Location {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}
