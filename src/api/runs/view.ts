/**
 * The JSON shapes of runs, steps and approvals in API responses, as zod schemas for
 * /openapi.json; each is checked at compile time against the record type the routes return.
 */
import { z } from "zod";
import type { Approval, ContractDecision, ForkedFrom, RunView, StepRecord } from "../../engine/records";
import { RUN_STATUSES } from "../../engine/run-state";
import { llmCallSchema, routingSchema, usageSchema } from "./llm-call-view";

const epochMs = z.number().meta({ description: "Epoch milliseconds" });

export const forkedFromSchema = z
  .object({ run_id: z.string(), step: z.int().meta({ description: "The index of the step the fork runs again from" }) })
  .meta({ id: "ForkedFrom" }) satisfies z.ZodType<ForkedFrom>;

export const runErrorSchema = z.object({ type: z.string(), message: z.string(), task_id: z.string().optional() }).meta({ id: "RunError" });

const runStatus = z.enum(RUN_STATUSES);

export const approvalSchema = z
  .object({
    call_id: z.string(),
    key: z.string().meta({ description: "The call's idempotency key" }),
    task_id: z.string(),
    tool: z.string(),
    arguments: z.unknown(),
    status: z.enum(["pending", "approved", "denied"]),
    reason: z.string().nullable(),
    requested_at: epochMs,
    decided_at: epochMs.nullable(),
  })
  .meta({ id: "Approval" }) satisfies z.ZodType<Approval>;

export const runSchema = z
  .object({
    id: z.string(),
    chain_id: z.string(),
    chain_version: z.number().meta({ description: "0 for an inline chain" }),
    status: runStatus,
    input: z.unknown(),
    output: z.unknown().meta({ description: "The last task's output once the run succeeded; a chat output is `{kind: \"chat\", messages}`" }),
    error: runErrorSchema.nullable(),
    usage: usageSchema,
    step_count: z.number(),
    current_task: z.string().nullable(),
    created_at: epochMs,
    started_at: epochMs.nullable(),
    finished_at: epochMs.nullable(),
    pending_approvals: z.array(approvalSchema).optional().meta({ description: "While the run is `waiting`" }),
    event_hops: z.number().optional(),
    forked_from: forkedFromSchema.optional().meta({ description: "For a fork: the run and step it was forked from" }),
    parent_run_id: z.string().optional().meta({ description: "For a sub-run: the run whose code started it" }),
    principal: z.string().optional().meta({ description: "The caller's role (never its key): the API key's, the trigger's, or the parent run's for a sub-run" }),
    contracts: z.record(z.string(), z.number()).optional().meta({ description: "The domain contracts the run is governed by, with the version it bound (0: bundled)" }),
    d1_copy: z
      .object({ behind: z.literal(true), attempts: z.number(), last_error: z.string().nullable(), gave_up_at: epochMs.nullable() })
      .optional()
      .meta({ description: "Present only while D1, the copy `GET /runs` lists, lags behind the run" }),
  })
  .meta({ id: "Run" }) satisfies z.ZodType<RunView>;

export const runStartedSchema = z.object({ id: z.string(), status: runStatus });

/** What `POST /runs/:id/fork` answers: the new run. */
export const runForkedSchema = runStartedSchema.extend({ forked_from: forkedFromSchema });

/** A run as `GET /runs` lists it, from D1. */
export const runSummarySchema = z
  .object({
    id: z.string(),
    chain_id: z.string(),
    chain_version: z.number(),
    status: runStatus,
    input: z.unknown(),
    output: z.unknown(),
    error: runErrorSchema.nullable(),
    usage: usageSchema.nullable(),
    step_count: z.number(),
    created_at: epochMs,
    started_at: epochMs.nullable(),
    finished_at: epochMs.nullable(),
    forked_from: forkedFromSchema.optional(),
    principal: z.string().optional(),
  })
  .meta({ id: "RunSummary" });

export const contractDecisionSchema = z
  .object({
    seq: z.number().meta({ description: "The order in which the run's calls reached the gate" }),
    contract: z.string(),
    version: z.number(),
    task_id: z.string(),
    tool: z.string(),
    args: z.unknown(),
    role: z.string(),
    allowed: z.boolean(),
    rule: z.string().optional().meta({ description: "What refused the call: a rule's id, `role`, `lifecycle`, `state_read` or `contract_unavailable`" }),
    message: z.string().optional(),
    entity: z
      .object({ name: z.string(), read: z.object({ tool: z.string(), args: z.unknown() }), state: z.string().nullable(), error: z.string().optional() })
      .optional()
      .meta({ description: "For an operation that moves an entity: its state as read fresh from the system of record" }),
    outcome: z.enum(["ok", "error"]).optional().meta({ description: "For an allowed call, once it ended" }),
    at: epochMs,
  })
  .meta({ id: "ContractDecision" }) satisfies z.ZodType<ContractDecision>;

export const stepSchema = z
  .object({
    index: z.number(),
    task_id: z.string(),
    handler: z.string(),
    input: z.unknown(),
    output: z.unknown(),
    eval: z.string().meta({ description: "What the transition compared: the task's verdict" }),
    goto: z.string().meta({ description: 'The next task: the same one when the task is retried, `"end"` when the run ended here' }),
    started_at: epochMs,
    duration_ms: z.number(),
    error: runErrorSchema.nullable(),
    attempt: z.number(),
    model: z.string().nullable(),
    usage: usageSchema.nullable(),
    retry: z.object({ delay_ms: z.number(), attempt: z.number(), model: z.string().optional() }).optional(),
    llm_calls: z.array(llmCallSchema).optional().meta({ description: "Every LLM call the step made, exactly as made; absent for a step that made none" }),
    copied_from: forkedFromSchema.optional().meta({ description: "In a fork: the step of the original run this one was copied from (it did not run here)" }),
    patched: z.literal(true).optional().meta({ description: "In a fork: the copied step whose output the fork request replaced" }),
    routing: routingSchema.optional().meta({ description: "For a step that called a model: the backend that served it, the policy, the candidates passed over" }),
    contract_decisions: z.array(contractDecisionSchema).optional().meta({ description: "In a governed run: what the domain contract's gate decided about each tool call the step made" }),
  })
  .meta({ id: "Step" }) satisfies z.ZodType<StepRecord>;
