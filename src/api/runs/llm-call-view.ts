/**
 * The JSON shapes a step record carries about the models it asked, as zod schemas for
 * /openapi.json: each LLM call exactly as it was made (`llm_calls`, with the truncation marker
 * that replaces a value over the record limit) and the routing facts of the call (`routing`).
 * Each is checked at compile time against the engine's own type.
 */
import { z } from "zod";
import type { ContentPart, ToolCall, ToolSpec } from "../../engine/chat";
import type { LlmCall } from "../../engine/llm-calls";
import { ROUTING_POLICIES, type Routing } from "../../engine/routing";
import type { TruncatedValue } from "../../engine/truncate";

export const usageSchema = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }).meta({ id: "Usage" });

const truncatedSchema = z
  .object({ truncated: z.literal(true), original_bytes: z.number(), preview: z.string() })
  .meta({ id: "Truncated", description: "What replaced a recorded value over `MAX_STEP_OUTPUT_BYTES`" }) satisfies z.ZodType<TruncatedValue>;

function truncatable<T extends z.ZodType>(schema: T) {
  return z.union([schema, truncatedSchema]);
}

const toolCallSchema = z
  .object({ id: z.string(), type: z.literal("function"), function: z.object({ name: z.string(), arguments: z.string() }) })
  .meta({ id: "ToolCall" }) satisfies z.ZodType<ToolCall>;

const contentPartSchema = z.object({ type: z.string() }).loose() satisfies z.ZodType<ContentPart>;

const toolSpecSchema = z
  .object({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()) })
  .meta({ id: "ToolSpec" }) satisfies z.ZodType<ToolSpec>;

const recordedMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: truncatable(z.union([z.string(), z.array(contentPartSchema), z.null()])),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});

export const llmCallSchema = z
  .object({
    provider: z.string().nullable().meta({ description: "The provider actually called" }),
    model: z.string().nullable().meta({ description: "The model that answered (or, for a failed call, was tried)" }),
    request: z.object({
      messages: z.array(recordedMessageSchema).meta({ description: "As sent: macros expanded, the system prompt as rendered" }),
      tools: truncatable(z.array(toolSpecSchema)).optional(),
      tool_choice: z.unknown().optional(),
      max_tokens: z.number().optional(),
      temperature: z.number().optional(),
      top_p: z.number().optional(),
      stop: z.array(z.string()).optional(),
      response_format: z.unknown().optional(),
      model: z.string().optional().meta({ description: "As the task asked for it" }),
      provider: z.string().optional().meta({ description: "As the task asked for it" }),
    }),
    reply: z
      .object({
        content: truncatable(z.string().nullable()),
        tool_calls: z.array(toolCallSchema).optional(),
        finish_reason: z.string().optional(),
        usage: usageSchema.optional(),
      })
      .optional()
      .meta({ description: "Absent when the call failed" }),
    error: z.object({ type: z.string(), message: z.string(), retryable: z.boolean().optional(), native: z.literal(true).optional() }).optional(),
    started_at: z.number(),
    duration_ms: z.number(),
  })
  .meta({ id: "LlmCall" }) satisfies z.ZodType<LlmCall>;

const backendSchema = z.object({ provider: z.string(), model: z.string() });

export const routingSchema = z
  .object({
    policy: z.enum(ROUTING_POLICIES),
    group: z.string().optional().meta({ description: "The group a `group:NAME` model named" }),
    candidates: z.array(backendSchema).meta({ description: "Every backend of the pool, in the order the policy put them" }),
    skipped: z.array(backendSchema.extend({ reason: z.enum(["cooldown", "capability", "context", "failed"]), detail: z.string() })),
    served_by: backendSchema.nullable().meta({ description: "The backend that answered; null when none did" }),
  })
  .meta({ id: "Routing" }) satisfies z.ZodType<Routing>;
