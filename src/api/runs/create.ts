/**
 * `POST /runs {chain_id | chain, input, vars}`: start a run. `?wait=true` blocks until it ends
 * (up to `timeout_ms`) and returns the finished run; otherwise 202 with `{id, status}`.
 */
import type { Context } from "hono";
import { z } from "zod";
import { chainToRun, INLINE_VERSION } from "../../chains/resolve";
import { runInput } from "../../engine/run-input";
import { startRun } from "../../run/start";
import { runStub } from "../../run/stub";
import { isTerminal } from "../../engine/records";
import type { AppEnv } from "../app-env";
import { requireValidChain } from "../chains/require-valid";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { runSchema, runStartedSchema } from "./view";
import { idempotencyHeaders, runIdFor } from "../idempotency";

const message = z.object({ role: z.enum(["system", "user", "assistant", "tool"]), content: z.unknown() }).loose();

/** A run's input and vars, as every request that starts a run takes them. */
export const runInputField = z.union([z.string(), z.array(message), z.record(z.string(), z.unknown()), z.array(z.unknown()), z.number(), z.boolean(), z.null()]);
export const runVarsField = z.record(z.string(), z.string({ error: "vars values must be strings" }));

export const createRunBody = z
  .object({
    chain_id: z.string().min(1, "chain_id must not be empty").optional(),
    chain: z.unknown().optional(),
    input: runInputField.optional(),
    vars: runVarsField.optional(),
  })
  .strict()
  .check((ctx) => {
    const { chain_id, chain } = ctx.value;
    if ((chain_id === undefined) === (chain === undefined)) {
      ctx.issues.push({ code: "custom", input: ctx.value, path: ["chain_id"], message: "give exactly one of chain_id or chain" });
    }
  });

const waitQuery = z.object({
  wait: z.enum(["true", "false"]).optional(),
  timeout_ms: z.coerce.number().int().min(1).max(600_000).optional(),
});

export const createRunDoc = describeRoute({
  headers: idempotencyHeaders,
  summary: "Start a run",
  description: "Runs a registered or bundled chain (`chain_id`) or an inline one (`chain`, checked like `POST /chains/validate`) with `input` and `vars`.",
  query: waitQuery,
  body: createRunBody,
  responses: {
    200: { description: "With `wait=true`: the finished run", schema: runSchema },
    202: { description: "The run started (or, with `wait=true`, is still going when the wait ends)", schema: runStartedSchema.or(runSchema) },
  },
  errors: [404, 422],
});

export async function createRunRoute(c: Context<AppEnv>): Promise<Response> {
  const query = waitQuery.safeParse(c.req.query());
  if (!query.success) throw new ApiError(400, "invalid_request", `Invalid query: ${query.error.issues[0]?.message}`, { path: String(query.error.issues[0]?.path[0] ?? "") });
  const body = await readJson(c, createRunBody, "run request");
  const { chain, version } = body.chain !== undefined ? { chain: requireValidChain(body.chain).chain, version: INLINE_VERSION } : await namedChain(c, body.chain_id!);
  const run = await startRun(c.env, { chain, chain_version: version, input: runInput(body.input), vars: body.vars, principal: c.get("role"), run_id: await runIdFor(c, body) });
  if (query.data.wait !== "true") return c.json({ id: run.id, status: run.status }, 202);
  const finished = await runStub(c.env, run.id).wait(query.data.timeout_ms ?? 120_000);
  return c.json(finished ?? run, finished && isTerminal(finished.status) ? 200 : 202);
}

async function namedChain(c: Context<AppEnv>, id: string) {
  const found = await chainToRun(c.env, id);
  if (!found) throw new ApiError(404, "not_found", `No chain "${id}" is registered or bundled.`, { path: "chain_id" });
  return found;
}
