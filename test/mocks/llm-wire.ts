/**
 * The OpenAI chat wire shapes the mock LLM answers with: a scripted reply becomes an answer,
 * and an answer becomes either one `chat.completion` object or the ordered
 * `chat.completion.chunk` frames of a stream, shaped like OpenAI's own (role delta first,
 * content deltas, tool-call deltas, a finish frame, the usage frame, `[DONE]`).
 */
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import type { ChatRequest, MockFinishReason, MockReplyData } from "./llm-script";

export type AnswerToolCall = { id: string; name: string; arguments: string };

export type Answer = {
  content: string | null;
  contentChunks: string[];
  toolCalls: AnswerToolCall[];
  usage: CompletionUsage;
  finishReason: MockFinishReason;
};

export type CompletionMeta = { id: string; created: number; model: string };

export type OpenAIErrorBody = {
  error: { message: string; type: string; param: null; code: string | null };
};

const SYSTEM_FINGERPRINT = "fp_switchyard_mock";
/** Small enough that any real argument object arrives over several frames, as from OpenAI. */
const ARGUMENT_CHUNK_CHARS = 8;

export const SSE_DONE = "data: [DONE]\n\n";

export function sseFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** Roughly four characters per token, the usual rule of thumb for English text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function toAnswer(reply: MockReplyData, request: ChatRequest, newToolCallId: () => string): Answer {
  const toolCalls = (reply.tool_calls ?? []).map((call) => ({
    id: call.id ?? newToolCallId(),
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
  }));
  const content = reply.content ?? reply.chunks?.join("") ?? (toolCalls.length > 0 ? null : "");
  const completionText = (content ?? "") + toolCalls.map((call) => call.name + call.arguments).join("");
  const promptTokens = reply.usage?.prompt_tokens ?? estimateTokens(JSON.stringify([request.messages, request.tools]));
  const completionTokens = reply.usage?.completion_tokens ?? estimateTokens(completionText);
  return {
    content,
    contentChunks: reply.chunks ?? splitLikeTokens(content ?? ""),
    toolCalls,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
    finishReason: reply.finish_reason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
  };
}

/** Word-sized pieces that keep their leading whitespace, the way tokenizers split text. */
function splitLikeTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

function slices(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size) parts.push(text.slice(start, start + size));
  return parts;
}

export function completionObject(answer: Answer, meta: CompletionMeta): ChatCompletion {
  const toolCalls = answer.toolCalls.map((call) => ({
    id: call.id,
    type: "function" as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.content,
          refusal: null,
          annotations: [],
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage: answer.usage,
  };
}

export function streamChunks(answer: Answer, meta: CompletionMeta, includeUsage: boolean): ChatCompletionChunk[] {
  const frame = (choices: ChatCompletionChunk.Choice[], usage: CompletionUsage | null): ChatCompletionChunk => ({
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices,
    // OpenAI puts `usage: null` on every frame once usage was asked for, and only then.
    ...(includeUsage ? { usage } : {}),
  });
  const delta = (
    value: ChatCompletionChunk.Choice.Delta,
    finish: ChatCompletionChunk.Choice["finish_reason"] = null,
  ): ChatCompletionChunk => frame([{ index: 0, delta: value, logprobs: null, finish_reason: finish }], null);

  return [
    delta({ role: "assistant", content: answer.content === null ? null : "", refusal: null }),
    ...answer.contentChunks.map((content) => delta({ content })),
    ...answer.toolCalls.flatMap((call, index) => [
      delta({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }),
      ...slices(call.arguments, ARGUMENT_CHUNK_CHARS).map((part) =>
        delta({ tool_calls: [{ index, function: { arguments: part } }] }),
      ),
    ]),
    delta({}, answer.finishReason),
    ...(includeUsage ? [frame([], answer.usage)] : []),
  ];
}

export function errorBody(
  status: number,
  error: { message?: string; type?: string; code?: string } = {},
): OpenAIErrorBody {
  return {
    error: {
      message: error.message ?? `mock: scripted status ${status}`,
      type: error.type ?? (status >= 500 ? "server_error" : "invalid_request_error"),
      param: null,
      code: error.code ?? null,
    },
  };
}

/** The text of the last user message, whether sent as a string or as content parts. */
export function lastUserText(request: ChatRequest): string {
  const message = request.messages.findLast((candidate) => candidate.role === "user");
  if (message === undefined) return "";
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}
