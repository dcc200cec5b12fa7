/**
 * `POST /runs/:id/resync`: asks the run's object to rewrite its D1 row (and any step rows D1
 * lacks) now — the repair path for a listing that lags behind the run. Answers the run as its
 * object sees it; `d1_copy` is present while D1 is still behind.
 */
import type { Context } from "hono";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { requireRun } from "./get";
import { runSchema } from "./view";

export const resyncRunDoc = describeRoute({
  summary: "Rewrite a run's D1 row from its object now",
  responses: { 200: { description: "The run as its object sees it; `d1_copy` while D1 is still behind", schema: runSchema } },
});

export async function resyncRunRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  return c.json(await runStub(c.env, run.id).resync());
}
