/**
 * The JSON shapes of runs, steps and approvals in API responses, as zod schemas for
 * /openapi.json; each is checked at compile time against the record type the routes return.
 */
import { z } from "zod";
import type { Approval, RunView, StepRecord } from "../../engine/records";
import { RUN_STATUSES } from "../../engine/run-state";

const epochMs = z.number().meta({ description: "Epoch milliseconds" });

export const usageSchema = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }).meta({ id: "Usage" });

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
    d1_copy: z
      .object({ behind: z.literal(true), attempts: z.number(), last_error: z.string().nullable(), gave_up_at: epochMs.nullable() })
      .optional()
      .meta({ description: "Present only while D1, the copy `GET /runs` lists, lags behind the run" }),
  })
  .meta({ id: "Run" }) satisfies z.ZodType<RunView>;

export const runStartedSchema = z.object({ id: z.string(), status: runStatus });

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
  })
  .meta({ id: "RunSummary" });

export const stepSchema = z
  .object({
    index: z.number(),
    task_id: z.string(),
    handler: z.string(),
    input: z.unknown(),
    output: z.unknown(),
    eval: z.string().meta({ description: "What the transition compared: the task's verdict" }),
    goto: z.string().nullable(),
    started_at: epochMs,
    duration_ms: z.number(),
    error: runErrorSchema.nullable(),
    attempt: z.number(),
    model: z.string().nullable(),
    usage: usageSchema.nullable(),
    retry: z.object({ delay_ms: z.number(), attempt: z.number(), model: z.string().optional() }).optional(),
  })
  .meta({ id: "Step" }) satisfies z.ZodType<StepRecord>;
