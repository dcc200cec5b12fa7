/**
 * Human approval of tool calls: `GET /runs/:id/approvals` lists a run's requests and
 * decisions; `POST /runs/:id/approvals/:call_id {decision: "approve" | "deny", reason?}`
 * decides one. A run waits (status `waiting`) while any call is pending and resumes once none
 * is; a denial reaches the model as the call's tool message, with the reason.
 */
import type { Context } from "hono";
import { z } from "zod";
import type { Approval, DecideOutcome } from "../../run/records";
import { runStub, type RunStub } from "../../run/stub";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors";
import { readJson } from "../read-json";
import { requireRun } from "./get";

/** The ChainRun methods behind these routes (the shared stub type predates them). */
interface ApprovalsStub extends RunStub {
  approvals(): Promise<Approval[]>;
  decide(callId: string, decision: "approve" | "deny", reason: string | null): Promise<DecideOutcome>;
}

const decisionBody = z
  .object({
    decision: z.enum(["approve", "deny"], { error: 'decision must be "approve" or "deny"' }),
    reason: z.string().max(2000).optional(),
  })
  .strict();

function approvalsStub(c: Context<AppEnv>, id: string): ApprovalsStub {
  return runStub(c.env, id) as ApprovalsStub;
}

export async function listApprovalsRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  return c.json({ data: await approvalsStub(c, run.id).approvals() });
}

export async function decideApprovalRoute(c: Context<AppEnv>): Promise<Response> {
  const run = await requireRun(c);
  const body = await readJson(c, decisionBody, "approval decision");
  const outcome = await approvalsStub(c, run.id).decide(c.req.param("call_id")!, body.decision, body.reason ?? null);
  if (!outcome.ok) throw new ApiError(outcome.status, outcome.status === 404 ? "not_found" : "conflict", outcome.message);
  return c.json({ approval: outcome.approval, run: outcome.run });
}
