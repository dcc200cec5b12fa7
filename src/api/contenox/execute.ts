/**
 * `POST /execute {prompt, model_name?, model_provider?}` → `{id, response}` (Contenox): one
 * prompt, one answer. It runs as a one-task chain, so the call is recorded and inspectable like
 * any run (its id is in `x-switchyard-run-id` too).
 */
import type { Context } from "hono";
import { z } from "zod";
import { INLINE_VERSION } from "../../chains/resolve";
import { stringify } from "../../engine/templates";
import type { Chain } from "../../engine/chain";
import { startRun } from "../../run/start";
import type { AppEnv } from "../app-env";
import { RUN_ID_HEADER, succeededRun } from "../openai/finished-run";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { idempotencyHeaders, runIdFor } from "../idempotency";

const executeBody = z.object({
  prompt: z.string({ error: "prompt is required" }).min(1, "prompt must not be empty"),
  model_name: z.string().min(1).optional(),
  model_provider: z.string().min(1).optional(),
});

const EXECUTE_CHAIN: Chain = {
  id: "execute",
  description: "POST /execute: one prompt, one answer.",
  tasks: [{ id: "execute", handler: "chat_completion", execute_config: { model: "{{var:model|}}", provider: "{{var:provider|}}" } }],
};

export const executeDoc = describeRoute({
  headers: idempotencyHeaders,
  summary: "One prompt, one answer (Contenox)",
  tag: "contenox",
  body: executeBody,
  responses: { 200: { description: "The answer; `id` is the run", schema: z.object({ id: z.string(), response: z.string() }) } },
  errors: [422, 424, 429, 500, 502, 504],
});

export async function executeRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, executeBody, "execute request");
  const vars: Record<string, string> = {};
  if (body.model_name) vars.model = body.model_name;
  if (body.model_provider) vars.provider = body.model_provider;
  const run = await startRun(c.env, { chain: EXECUTE_CHAIN, chain_version: INLINE_VERSION, input: body.prompt, vars, principal: c.get("role"), run_id: await runIdFor(c, body) });
  c.header(RUN_ID_HEADER, run.id);
  const finished = await succeededRun(c.env, run.id);
  return c.json({ id: run.id, response: stringify(finished.output) });
}
