/**
 * Chain problems as a compiler prints them — `file:line:column: error: message [path]` — from
 * the engine's own validator or from the server's 400, each placed in the file's source.
 */
import type { Problem } from "../src/engine/errors";
import { locate } from "./source-location";
import type { Colors } from "./output";

export interface LocatedProblem extends Problem {
  line: number;
  column: number;
}

export function locateProblems(text: string, problems: readonly Problem[]): LocatedProblem[] {
  return problems.map((problem) => ({ ...problem, ...locate(text, problem) }));
}

export function problemLine(file: string, problem: LocatedProblem, colors: Colors): string {
  const severity = problem.severity === "error" ? colors.red("error") : colors.yellow("warning");
  const path = problem.path ? colors.dim(` [${problem.path}]`) : "";
  return `${file}:${problem.line}:${problem.column}: ${severity}: ${problem.message}${path}`;
}

export function countErrors(problems: readonly Problem[]): number {
  return problems.filter((problem) => problem.severity === "error").length;
}
