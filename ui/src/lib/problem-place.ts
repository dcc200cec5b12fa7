/**
 * Where in a chain's text a validation problem is: its JSON path (`tasks[2].transition.branches[0].goto`)
 * found in the JSONC parse tree, or the line and column a syntax error names. A path to a field
 * that is missing points at the object that lacks it.
 */
import { findNodeAtLocation, parseTree } from "jsonc-parser";
import type { Problem } from "../api/types";

export interface Place {
  offset: number;
  length: number;
  /** 1-based. */
  line: number;
}

const SEGMENT = /\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([A-Za-z_$][\w$]*)/g;

export function pathSegments(path: string): Array<string | number> {
  return [...path.matchAll(SEGMENT)].map((m) => (m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : m[2] !== undefined ? Number(m[2]) : m[3]!));
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

export function placeProblem(text: string, problem: Problem): Place | undefined {
  const syntax = /syntax error at (\d+):(\d+)/.exec(problem.message);
  if (syntax) {
    const offset = offsetOf(text, Number(syntax[1]), Number(syntax[2]));
    return { offset, length: 1, line: Number(syntax[1]) };
  }
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return undefined;
  const segments = pathSegments(problem.path);
  let depth = segments.length;
  let node = findNodeAtLocation(root, segments);
  while (!node && depth > 0) {
    depth--;
    node = depth === 0 ? root : findNodeAtLocation(root, segments.slice(0, depth));
  }
  if (!node) return undefined;
  const exact = depth === segments.length;
  const target = exact && node.parent?.type === "property" ? node.parent : node;
  // A missing field marks the start of the object that should have it.
  return { offset: target.offset, length: exact && segments.length > 0 ? target.length : 1, line: lineOf(text, target.offset) };
}
