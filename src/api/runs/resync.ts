/**
 * `POST /runs/:id/resync`: asks the run's object to rewrite its D1 row (and any step rows D1
 * lacks) now — the repair path for a listing that lags behind the run. Answers the run as its
 * object sees it; `d1_copy` is present while D1 is still behind.
 */
import type { Context } from "hono";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { requireRun } from "./get";

export async function resyncRunRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  return c.json(await runStub(c.env, run.id).resync());
}
