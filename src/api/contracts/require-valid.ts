/**
 * The API's gate for contract documents: check the body (JSONC text or JSON) against the
 * registered tools, and turn error-severity problems into one 400 that lists them all with
 * their paths.
 */
import type { Context } from "hono";
import { checkContract } from "../../contract/check";
import type { Contract } from "../../contract/types";
import type { Problem } from "../../engine/errors";
import type { AppEnv } from "../app-env";
import { knownNames } from "../chains/known-names";
import { ApiError } from "../errors";

export async function requireValidContract(c: Context<AppEnv>): Promise<{ contract: Contract; warnings: Problem[] }> {
  const result = checkContract(await c.req.text(), { knownTools: (await knownNames(c)).knownTools });
  const errors = result.problems.filter((p) => p.severity === "error");
  if (!result.contract) {
    const first = errors[0];
    throw new ApiError(400, "invalid_contract", `The contract has ${errors.length} problem${errors.length === 1 ? "" : "s"}${first ? `; first: ${first.path}: ${first.message}` : ""}`, {
      path: first?.path,
      problems: result.problems,
    });
  }
  return { contract: result.contract, warnings: result.problems };
}
