/**
 * Whether a tool call's arguments fit the tool's schema, and the answer when they do not. The
 * tool registry checks every call with it, whoever makes it (a chat's tool calls, a hook,
 * sandboxed code). The answer is an `{ error }` like any failed call, which code and hooks read as
 * such; it also lists the problems, by which a chat's tool calls know to tell the model the
 * sentence itself rather than a JSON object.
 */

import { describeProblems, validateValue, type SchemaProblem } from "./json-schema";
import type { ToolSpec } from "./chat";

export interface InvalidArguments {
  error: string;
  invalid_arguments: SchemaProblem[];
}

export function checkArguments(tool: ToolSpec, args: unknown): InvalidArguments | undefined {
  const problems = validateValue(tool.parameters, args);
  if (problems.length === 0) return undefined;
  return {
    error: `the arguments for tool "${tool.name}" do not fit its schema: ${describeProblems(problems)}. Correct them and call the tool again.`,
    invalid_arguments: problems,
  };
}

export function isInvalidArguments(value: unknown): value is InvalidArguments {
  if (typeof value !== "object" || value === null) return false;
  const { error, invalid_arguments } = value as Partial<Record<keyof InvalidArguments, unknown>>;
  return typeof error === "string" && Array.isArray(invalid_arguments);
}
