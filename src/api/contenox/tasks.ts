/**
 * `POST /tasks {input, inputType?, chain, templateVars?}` → `{id, output, outputType, state}`
 * (Contenox): run a chain — inline, or a registered or bundled one by id — to its end and return
 * its output with the captured state of every step. `templateVars` become the run's vars.
 */
import type { Context } from "hono";
import { z } from "zod";
import { chainToRun, INLINE_VERSION } from "../../chains/resolve";
import type { StepRecord } from "../../engine/records";
import { startRun } from "../../run/start";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { requireValidChain } from "../chains/require-valid";
import { ApiError } from "../errors";
import { RUN_ID_HEADER, succeededRun } from "../openai/finished-run";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { INPUT_TYPES, outputType, typedInput } from "./data-types";
import { idempotencyHeaders, runIdFor } from "../idempotency";

const tasksBody = z.object({
  input: z.unknown(),
  inputType: z.enum(INPUT_TYPES, { error: `inputType must be one of ${INPUT_TYPES.join(", ")}` }).default("any"),
  chain: z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: "chain is required: a chain definition or the id of a registered chain" }),
  templateVars: z.record(z.string(), z.string({ error: "templateVars values must be strings" })).optional(),
});

/** One step as Contenox's `CapturedStateUnit` reports it; `duration` is in nanoseconds. */
function capturedState(step: StepRecord) {
  return {
    taskID: step.task_id,
    taskHandler: step.handler,
    inputType: outputType(step.input),
    outputType: outputType(step.output),
    transition: step.eval,
    duration: step.duration_ms * 1_000_000,
    error: { error: step.error?.message ?? "" },
    input: step.input,
    output: step.output,
    retryIndex: step.attempt - 1,
  };
}

export const tasksDoc = describeRoute({
  headers: idempotencyHeaders,
  summary: "Run a chain to its end (Contenox)",
  tag: "contenox",
  body: tasksBody,
  responses: {
    200: {
      description: "The output and the captured state of every step (`duration` in nanoseconds)",
      schema: z.object({
        id: z.string(),
        output: z.unknown(),
        outputType: z.string(),
        state: z.array(
          z.object({
            taskID: z.string(),
            taskHandler: z.string(),
            inputType: z.string(),
            outputType: z.string(),
            transition: z.string(),
            duration: z.number(),
            error: z.object({ error: z.string() }),
            input: z.unknown(),
            output: z.unknown(),
            retryIndex: z.number(),
          }) satisfies z.ZodType<ReturnType<typeof capturedState>>,
        ),
      }),
    },
  },
  errors: [404, 422, 424, 429, 500, 502, 504],
});

export async function tasksRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, tasksBody, "task request");
  const { chain, version } = typeof body.chain === "string" ? await namedChain(c, body.chain) : { chain: requireValidChain(body.chain).chain, version: INLINE_VERSION };
  const run = await startRun(c.env, { chain, chain_version: version, input: typedInput(body.input, body.inputType), vars: body.templateVars, principal: c.get("role"), run_id: await runIdFor(c, body) });
  c.header(RUN_ID_HEADER, run.id);
  const finished = await succeededRun(c.env, run.id);
  const steps = await runStub(c.env, run.id).steps();
  return c.json({ id: run.id, output: finished.output, outputType: outputType(finished.output), state: steps.map(capturedState) });
}

async function namedChain(c: Context<AppEnv>, id: string) {
  const found = await chainToRun(c.env, id);
  if (!found) throw new ApiError(404, "not_found", `No chain "${id}" is registered or bundled.`, { path: "chain" });
  return found;
}
