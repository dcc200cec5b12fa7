/**
 * `POST /functions {name, code, tools?, egress_allow?, limits?, contract?}`: create or replace a JS
 * function that event triggers can run. The code must normalise as code mode's does (a syntax
 * error is a 400 at `code`); the grant is what it may use: tools as in a chain task's
 * `execute_config.tools`, hosts it may reach, sandbox limits, and the domain contract (by id)
 * that governs its tool calls, as its trigger's role.
 */
import type { Context } from "hono";
import { z } from "zod";
import { resolveContract } from "../../contract/resolve";
import { db } from "../../db/client";
import { saveFunction } from "../../db/functions";
import { functionCodeProblem } from "../../wiring/event-functions";
import { sha256Hex } from "../../events/ids";
import type { FunctionGrant } from "../../events/types";
import { parseAllowList } from "../../egress/policy";
import { resolveLimits } from "../../sandbox/limits";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { createdOrReplaced, describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { functionSchema, functionView } from "./view";

export const functionName = z
  .string()
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "name must start with a letter and use letters, digits, '_', '.' or '-'");

const saveBody = z
  .object({
    name: functionName,
    code: z.string().min(1, "code must not be empty"),
    tools: z.array(z.string().min(1)).optional(),
    egress_allow: z.array(z.string()).optional(),
    limits: z.record(z.string(), z.unknown()).optional(),
    contract: z.string().min(1, "contract must not be empty").optional(),
  })
  .strict();

export const saveFunctionDoc = describeRoute({
  summary: "Create or replace a function",
  body: saveBody,
  responses: createdOrReplaced("The function", functionSchema),
});

export async function saveFunctionRoute(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, saveBody, "function");
  const problem = functionCodeProblem(body.code);
  if (problem) throw new ApiError(400, "invalid_request", `Invalid function code: ${problem}`, { path: "code" });
  const grant: FunctionGrant = { tools: body.tools ?? [] };
  if (body.limits !== undefined) {
    const limits = resolveLimits(body.limits, "limits");
    if (!limits.ok) throw new ApiError(400, "invalid_request", `Invalid function: ${limits.error}`, { path: "limits" });
    grant.limits = body.limits as Record<string, number>;
  }
  if (body.egress_allow !== undefined) {
    const { invalid } = parseAllowList(body.egress_allow);
    if (invalid.length > 0) throw new ApiError(400, "invalid_request", `Invalid function: egress_allow entries are not host[:port]: ${invalid.join(", ")}`, { path: "egress_allow" });
    grant.egress_allow = body.egress_allow;
  }
  if (body.contract !== undefined) {
    if (!(await resolveContract(c.env, body.contract))) throw new ApiError(400, "contract_missing", `Invalid function: contract "${body.contract}" is not registered or bundled.`, { path: "contract" });
    grant.contract = body.contract;
  }
  const { stored, created } = await saveFunction(db(c.env.DB), { name: body.name, code: body.code, hash: await sha256Hex(body.code), grant }, Date.now());
  return c.json(functionView(stored, true), created ? 201 : 200);
}
