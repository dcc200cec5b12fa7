/**
 * The frames of a streamed chat completion, shaped like OpenAI's: `chat.completion.chunk`
 * objects as SSE `data:` lines — the role first, content deltas, tool-call deltas, a finish
 * chunk, the usage chunk when asked for — then `data: [DONE]`.
 */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { ToolCall, Usage } from "../../engine/chat";
import { usageOf, type Answer, type CompletionMeta } from "./completion";
import type { OpenAIErrorBody } from "./errors";

export const SSE_DONE = "data: [DONE]\n\n";

export function sseData(payload: ChatCompletionChunk | OpenAIErrorBody): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function chunk(meta: CompletionMeta, delta: ChatCompletionChunk.Choice.Delta, finish: Answer["finish_reason"] | null = null): ChatCompletionChunk {
  return {
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

export function roleChunk(meta: CompletionMeta): ChatCompletionChunk {
  return chunk(meta, { role: "assistant", content: "" });
}

export function contentChunk(meta: CompletionMeta, text: string): ChatCompletionChunk {
  return chunk(meta, { content: text });
}

export function toolCallsChunk(meta: CompletionMeta, calls: ToolCall[]): ChatCompletionChunk {
  return chunk(meta, { tool_calls: calls.map((call, index) => ({ index, id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } })) });
}

export function finishChunk(meta: CompletionMeta, finish: Answer["finish_reason"]): ChatCompletionChunk {
  return chunk(meta, {}, finish);
}

export function usageChunk(meta: CompletionMeta, usage: Usage): ChatCompletionChunk {
  return { id: meta.id, object: "chat.completion.chunk", created: meta.created, model: meta.model, choices: [], usage: usageOf(usage) };
}
