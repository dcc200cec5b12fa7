/**
 * `POST /runs/:id/fork {from_step, input?, vars?, chain?, patch?}`: a new run that starts with
 * this run's state before step `from_step`, copied from its record, and runs live from there
 * (see run/fork.ts) → 201 `{id, status, forked_from: {run_id, step}}`. A bad request is a 4xx
 * naming the field, and creates nothing.
 */
import type { Context } from "hono";
import { z } from "zod";
import { runInput } from "../../engine/run-input";
import { forkRun } from "../../run/fork";
import type { AppEnv } from "../app-env";
import { requireValidChain } from "../chains/require-valid";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { runInputField, runVarsField } from "./create";
import { runForkedSchema } from "./view";

export const forkRunBody = z
  .object({
    from_step: z.int({ error: "from_step must be a whole number: the index of the first step to run again" }).min(0, "from_step must be 0 or more"),
    input: runInputField.optional().meta({ description: "Replaces the run input" }),
    vars: runVarsField.optional().meta({ description: "Merged into the original's vars" }),
    chain: z.unknown().optional().meta({ description: "A chain document to run from there instead; checked like `POST /chains/validate`" }),
    patch: z.unknown().optional().meta({ description: "Replaces the recorded output of step `from_step - 1`" }),
  })
  .strict();

export const forkRunDoc = describeRoute({
  summary: "Fork a run at a step",
  description:
    "A new run that starts with this run's state before step `from_step` (vars, outputs, edge counts, workspace files), copied from its record rather than executed again, and runs live from there. A bad request creates nothing.",
  body: forkRunBody,
  responses: { 201: { description: "The new run", schema: runForkedSchema } },
  errors: [409],
});

export async function forkRunRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, forkRunBody, "fork request");
  const chain = body.chain === undefined ? undefined : requireValidChain(body.chain, undefined, "chain").chain;
  const forked = await forkRun(c.env, c.req.param("id")!, {
    from_step: body.from_step,
    ...(body.input !== undefined ? { input: runInput(body.input) } : {}),
    ...(body.vars ? { vars: body.vars } : {}),
    ...(chain ? { chain } : {}),
    ...(body.patch !== undefined ? { patch: body.patch } : {}),
  });
  if (!forked.ok) throw new ApiError(forked.status, forked.status === 404 ? "not_found" : forked.status === 409 ? "conflict" : "invalid_request", forked.message, forked.path ? { path: forked.path } : {});
  const { view } = forked;
  return c.json({ id: view.id, status: view.status, forked_from: view.forked_from }, 201);
}
