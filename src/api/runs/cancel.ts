/** `POST /runs/:id/cancel`: stop at the next step boundary; in-flight calls are aborted. */
import type { Context } from "hono";
import { isTerminal } from "../../engine/records";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { requireRun } from "./get";
import { runSchema } from "./view";

export const cancelRunDoc = describeRoute({
  summary: "Cancel a run",
  responses: { 202: { description: "The run, stopping at the next step boundary", schema: runSchema } },
  errors: [409],
});

export async function cancelRunRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  if (isTerminal(run.status)) throw new ApiError(409, "conflict", `Run "${run.id}" has already finished (${run.status}); only a run that has not finished can be cancelled.`);
  return c.json(await runStub(c.env, run.id).cancel(), 202);
}
