/** `GET /runs/:id/steps`: full step records (input, output, eval, transition, timings, retries, usage). */
import type { Context } from "hono";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { requireRun } from "./get";

export async function runStepsRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  return c.json({ run_id: run.id, data: await runStub(c.env, run.id).steps() });
}
