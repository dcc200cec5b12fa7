/**
 * The chat completion request: OpenAI's fields that Switchyard honours, checked field by field
 * so a 400 names the offending one (`param`), and their mapping onto a run — the messages
 * become the run input, the client's tools become `client_tools`, and the sampling settings
 * become request overrides (src/engine/overrides.ts), `response_format` among them. Other OpenAI
 * fields (`seed`, penalties, …) are accepted and ignored, so existing clients keep working.
 */
import { z } from "zod";
import { overrideVars } from "../../engine/overrides";
import type { ChatMessage, ToolSpec } from "../../engine/chat";

const content = z.union([z.string(), z.array(z.object({ type: z.string() }).loose())], {
  error: "content must be a string or an array of content parts",
});
const name = z.string().optional();

const toolCall = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const message = z.discriminatedUnion(
  "role",
  [
    z.object({ role: z.enum(["system", "developer"]), content, name }),
    z.object({ role: z.literal("user"), content, name }),
    z.object({ role: z.literal("assistant"), content: content.nullish(), name, tool_calls: z.array(toolCall).optional() }),
    z.object({ role: z.literal("tool"), content, tool_call_id: z.string() }),
  ],
  { error: "role must be one of system, developer, user, assistant, tool" },
);

const tool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "a function name is 1-64 letters, digits, '_' or '-'"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

const toolChoice = z.union([z.enum(["none", "auto", "required"]), z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) })]);

const positiveInt = z.int().positive().nullish();

export const chatCompletionBody = z
  .object({
    model: z.string({ error: "model is required: the id of a chain (GET /v1/models lists them)" }).min(1, "model must not be empty"),
    messages: z
      .array(message, {
        error: (issue) => (issue.input === undefined ? "messages is required: an array of chat messages" : "messages must be an array of chat messages ({role, content}), not a single value"),
      })
      .min(1, "messages must not be empty"),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    max_tokens: positiveInt,
    max_completion_tokens: positiveInt,
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4, "at most 4 stop sequences")]).nullish(),
    n: z.literal(1, "only n=1 is supported").nullish(),
    tools: z.array(tool).nullish(),
    tool_choice: toolChoice.nullish(),
    user: z.string().nullish(),
    response_format: z
      .object({ type: z.enum(["text", "json_object", "json_schema"], { error: 'response_format.type must be "text", "json_object" or "json_schema"' }) })
      .loose()
      .nullish(),
  })
  .loose();

export type ChatCompletionRequest = z.infer<typeof chatCompletionBody>;

/** The conversation as the run's input: `developer` is OpenAI's newer name for `system`. */
export function runMessages(messages: ChatCompletionRequest["messages"]): ChatMessage[] {
  return messages.map((m): ChatMessage => {
    switch (m.role) {
      case "system":
      case "developer":
      case "user":
        return { role: m.role === "developer" ? "system" : m.role, content: m.content, ...(m.name ? { name: m.name } : {}) };
      case "assistant":
        return { role: "assistant", content: m.content ?? null, ...(m.name ? { name: m.name } : {}), ...(m.tool_calls?.length ? { tool_calls: m.tool_calls } : {}) };
      case "tool":
        return { role: "tool", content: m.content, tool_call_id: m.tool_call_id };
    }
  });
}

export function clientTools(request: ChatCompletionRequest): ToolSpec[] | undefined {
  if (!request.tools?.length) return undefined;
  return request.tools.map(({ function: f }) => ({
    name: f.name,
    ...(f.description !== undefined ? { description: f.description } : {}),
    parameters: f.parameters ?? { type: "object", properties: {} },
  }));
}

/** Run vars carrying the request's overrides (`request.max_tokens`, …, `request.user`). */
export function requestVars(request: ChatCompletionRequest): Record<string, string> {
  const stop = typeof request.stop === "string" ? [request.stop] : request.stop;
  return overrideVars({
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    temperature: request.temperature ?? undefined,
    top_p: request.top_p ?? undefined,
    stop: stop ?? undefined,
    tool_choice: request.tool_choice ?? undefined,
    response_format: request.response_format ?? undefined,
    user: request.user ?? undefined,
  });
}
