/** `GET /runs/:id/steps`: full step records (input, output, eval, transition, timings, retries, usage). */
import type { Context } from "hono";
import { z } from "zod";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { describeRoute } from "../openapi/describe";
import { requireRun } from "./get";
import { stepSchema } from "./view";

export const runStepsDoc = describeRoute({
  summary: "A run's step records",
  responses: { 200: { description: "Every step, in order", schema: z.object({ run_id: z.string(), data: z.array(stepSchema) }) } },
});

export async function runStepsRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  return c.json({ run_id: run.id, data: await runStub(c.env, run.id).steps() });
}
