/**
 * Human approval of tool calls: `GET /runs/:id/approvals` lists a run's requests and
 * decisions; `POST /runs/:id/approvals/:call_id {decision: "approve" | "deny", reason?}`
 * decides one. A run waits (status `waiting`) while any call is pending and resumes once none
 * is; a denial reaches the model as the call's tool message, with the reason.
 */
import type { Context } from "hono";
import { z } from "zod";
import { runStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { describeRoute } from "../openapi/describe";
import { readJson } from "../read-json";
import { requireRun } from "./get";
import { approvalSchema, runSchema } from "./view";

const decisionBody = z
  .object({
    decision: z.enum(["approve", "deny"], { error: 'decision must be "approve" or "deny"' }),
    reason: z.string().max(2000).optional(),
  })
  .strict();

export const listApprovalsDoc = describeRoute({
  summary: "A run's approval requests and decisions",
  responses: { 200: { description: "Every approval of the run", schema: z.object({ data: z.array(approvalSchema) }) } },
});

export const decideApprovalDoc = describeRoute({
  summary: "Approve or deny a tool call",
  body: decisionBody,
  responses: { 200: { description: "The decision and the run", schema: z.object({ approval: approvalSchema, run: runSchema }) } },
  errors: [409],
});

export async function listApprovalsRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  return c.json({ data: await runStub(c.env, run.id).approvals() });
}

export async function decideApprovalRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  const body = await readJson(c, decisionBody, "approval decision");
  const outcome = await runStub(c.env, run.id).decide(c.req.param("call_id")!, body.decision, body.reason ?? null);
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.status === 404 ? "not_found" : "conflict", outcome.message);
  return c.json({ approval: outcome.approval, run: outcome.run });
}
