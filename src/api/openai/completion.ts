/**
 * A finished run as OpenAI's `chat.completion`. The answer is the last assistant message of a
 * chat output (any other output reads as text, as in a prompt). Tool calls come back to the
 * client only for the client's own tools — a call to a server-side tool is the chain's business.
 * A reply the provider cut short keeps its reason ("length", "content_filter"), so the client
 * learns its answer is incomplete.
 */
import type { ChatCompletion } from "openai/resources/chat/completions";
import { z } from "zod";
import { isChatHistory, messageText, stringify } from "../../engine/templates";
import type { CutShort, ToolCall, Usage } from "../../engine/chat";
import type { RunView } from "../../engine/records";

export interface CompletionMeta {
  /** `chatcmpl-<run id>`. */
  id: string;
  /** Epoch seconds. */
  created: number;
  /** The model the client asked for, echoed back. */
  model: string;
  /** Names of the tools the client sent. */
  clientTools: ReadonlySet<string>;
}

export interface Answer {
  content: string | null;
  tool_calls: ToolCall[];
  finish_reason: "stop" | "tool_calls" | CutShort;
}

const toolCallSchema = z.object({ id: z.string(), type: z.literal("function"), function: z.object({ name: z.string(), arguments: z.string() }) });

const openAIUsage = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() });

export const completionSchema = z
  .object({
    id: z.string().meta({ description: "`chatcmpl-<run id>`" }),
    object: z.literal("chat.completion"),
    created: z.number(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number(),
        message: z.object({ role: z.literal("assistant"), content: z.string().nullable(), refusal: z.null(), tool_calls: z.array(toolCallSchema).optional() }),
        finish_reason: z.enum(["stop", "tool_calls", "length", "content_filter"]),
        logprobs: z.null(),
      }),
    ),
    usage: openAIUsage,
  })
  .meta({ id: "ChatCompletion" }) satisfies z.ZodType<ChatCompletion>;

export function answerOf(output: unknown, clientTools: ReadonlySet<string>): Answer {
  if (!isChatHistory(output)) return { content: stringify(output), tool_calls: [], finish_reason: "stop" };
  const last = output.messages.findLast((m) => m.role === "assistant");
  const calls = (last?.tool_calls ?? []).filter((call) => clientTools.has(call.function.name));
  const text = last ? messageText(last) : "";
  if (calls.length === 0) return { content: text, tool_calls: [], finish_reason: output.finish_reason ?? "stop" };
  return { content: text || null, tool_calls: calls, finish_reason: output.finish_reason ?? "tool_calls" };
}

export function completionObject(run: RunView, meta: CompletionMeta): ChatCompletion {
  const answer = answerOf(run.output, meta.clientTools);
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.content, refusal: null, ...(answer.tool_calls.length ? { tool_calls: answer.tool_calls } : {}) },
        finish_reason: answer.finish_reason,
        logprobs: null,
      },
    ],
    usage: usageOf(run.usage),
  };
}

export function usageOf(usage: Usage): ChatCompletion["usage"] {
  return { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens };
}
