/**
 * Waiting for a run to end, for callers that answer with its result (chat completions,
 * `/execute`, `/tasks`). A run that outlives the wait is still running: the 504 says where to
 * follow it.
 */
import { readConfig } from "../../config";
import type { Env } from "../../env";
import { isTerminal, type RunView } from "../../engine/records";
import { runStub } from "../../run/stub";
import { ApiError } from "../errors";
import { runFailure } from "./run-failure";

/** The response header naming the run behind an answer, so its trace can be opened. */
export const RUN_ID_HEADER = "x-switchyard-run-id";

/**
 * The run once it succeeded; throws the HTTP error that fits when it failed or is still going.
 * The answer comes from the run's object, so it does not wait for D1 to list the run.
 */
export async function succeededRun(env: Env, runId: string): Promise<RunView> {
  return requireSucceeded(await runStub(env, runId).wait(readConfig(env).runWallMs, false), runId);
}

export function requireSucceeded(run: RunView | undefined, runId: string): RunView {
  if (!run || !isTerminal(run.status)) {
    throw new ApiError(504, "run_timeout", `Run ${runId} is still ${run?.status ?? "starting"}; follow it at GET /runs/${runId}/events.`);
  }
  if (run.status !== "succeeded") throw runFailure(run);
  return run;
}
