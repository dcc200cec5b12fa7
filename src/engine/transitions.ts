/**
 * Transition branches: compares a task's eval string with each branch's `when` and picks the
 * first branch that matches, top to bottom. String operators compare trimmed text, because
 * evals often come straight from a model with a stray newline; numeric operators read the eval
 * as a number and never match when it is not one.
 */

import { type Branch, END } from "./chain";

/** The key under which traversals of an edge are counted, e.g. `chat->run_tools`. */
export function edgeKey(from: string, to: string): string {
  return `${from}->${to}`;
}

/** `edge` text as written in a chain ("chat -> run_tools") in its canonical `from->to` form. */
export function normalizeEdge(edge: string): string {
  return edge.trim().replace(/\s*->\s*/, "->");
}

/** An `in_range` bound pair from "min-max"; negatives and decimals allowed ("-5-10", "0.5-1.5"). */
export function parseRange(when: string): { min: number; max: number } | undefined {
  const number = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)`;
  const match = new RegExp(String.raw`^\s*(${number})\s*-\s*(${number})\s*$`).exec(when);
  if (!match) return undefined;
  return { min: Number(match[1]), max: Number(match[2]) };
}

export function evaluateBranch(branch: Branch, evalValue: string, edgeCounts: Record<string, number>): boolean {
  const value = evalValue.trim();
  const when = branch.when.trim();
  switch (branch.operator) {
    case "equals":
      return value === when;
    case "contains":
      return value.includes(when);
    case "starts_with":
      return value.startsWith(when);
    case "ends_with":
      return value.endsWith(when);
    case "gt":
      return compareNumbers(value, when, (a, b) => a > b);
    case "lt":
      return compareNumbers(value, when, (a, b) => a < b);
    case "in_range": {
      const range = parseRange(when);
      const number = parseNumber(value);
      return range !== undefined && number !== undefined && number >= range.min && number <= range.max;
    }
    case "edge_traversed_at_least": {
      const threshold = parseNumber(when);
      const count = edgeCounts[normalizeEdge(branch.edge ?? "")] ?? 0;
      return branch.edge !== undefined && threshold !== undefined && count >= threshold;
    }
    case "default":
      return true;
  }
}

/** The first branch that matches, with its position; undefined when none does. */
export function matchBranch(
  branches: Branch[],
  evalValue: string,
  edgeCounts: Record<string, number>,
): { branch: Branch; index: number } | undefined {
  const index = branches.findIndex((branch) => evaluateBranch(branch, evalValue, edgeCounts));
  const branch = branches[index];
  return branch ? { branch, index } : undefined;
}

/** Whether a `goto` ends the run: "end", empty, or absent. */
export function isEnd(goto: string | undefined): boolean {
  const target = goto?.trim() ?? "";
  return target === "" || target === END;
}

function compareNumbers(value: string, when: string, compare: (a: number, b: number) => boolean): boolean {
  const a = parseNumber(value);
  const b = parseNumber(when);
  return a !== undefined && b !== undefined && compare(a, b);
}

/** A finite number from trimmed text; empty or non-numeric text is not a number (Number("") is 0). */
function parseNumber(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}
