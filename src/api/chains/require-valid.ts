/**
 * The API's gate for chain documents: parse (JSONC text or JSON value), validate, and turn
 * error-severity problems into one 400 that lists them all.
 */
import { ApiError } from "../errors";
import { checkChain, type ValidateOptions } from "../../engine/validate";
import type { Chain } from "../../engine/chain";
import type { Problem } from "../../engine/errors";

export interface CheckedChain {
  chain: Chain;
  warnings: Problem[];
}

/** `field`: where the chain sits in the request body (e.g. `chain`), prefixed to every problem's path. */
export function requireValidChain(input: unknown, known?: ValidateOptions, field?: string): CheckedChain {
  const result = checkChain(input, known);
  if (field !== undefined) result.problems = result.problems.map((p) => ({ ...p, path: p.path ? `${field}.${p.path}` : field }));
  const errors = result.problems.filter((p) => p.severity === "error");
  if (!result.ok || !result.chain || errors.length > 0) {
    const first = errors[0];
    throw new ApiError(400, "invalid_chain", `The chain has ${errors.length} problem${errors.length === 1 ? "" : "s"}${first ? `; first: ${first.path}: ${first.message}` : ""}`, {
      path: first?.path,
      problems: result.problems,
    });
  }
  return { chain: result.chain, warnings: result.problems.filter((p) => p.severity === "warning") };
}
